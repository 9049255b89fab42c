// Every rule of the catalog (docs/RULES.md), in id order. A meta-test keeps this list complete.
import type { AnyRule } from '../src/engine/types.js';
import apiGatewayTimeout from './api-gateway-timeout.js';
import asyncFailureDestination from './async-failure-destination.js';
import awsSdkV2Runtime from './aws-sdk-v2-runtime.js';
import deprecatedRuntime from './deprecated-runtime.js';
import destinationPermission from './destination-permission.js';
import eventSourcePermission from './event-source-permission.js';
import handlerNotFound from './handler-not-found.js';
import invokePermission from './invoke-permission.js';
import latestInProduction from './latest-in-production.js';
import logsPermission from './logs-permission.js';
import memoryLimit from './memory-limit.js';
import missingDependency from './missing-dependency.js';
import packageSize from './package-size.js';
import recursiveTrigger from './recursive-trigger.js';
import reservedConcurrency from './reserved-concurrency.js';
import sqsVisibilityTimeout from './sqs-visibility-timeout.js';
import sdkPermission from './sdk-permission.js';
import timeoutLimit from './timeout-limit.js';
import tracingDisabled from './tracing-disabled.js';
import vpcConfig from './vpc-config.js';
import vpcPermission from './vpc-permission.js';
import vpcPublicSubnet from './vpc-public-subnet.js';
import xrayPermission from './xray-permission.js';

export const rules: readonly AnyRule[] = [
  apiGatewayTimeout,
  asyncFailureDestination,
  awsSdkV2Runtime,
  deprecatedRuntime,
  destinationPermission,
  eventSourcePermission,
  handlerNotFound,
  invokePermission,
  latestInProduction,
  logsPermission,
  memoryLimit,
  missingDependency,
  packageSize,
  recursiveTrigger,
  reservedConcurrency,
  sdkPermission,
  sqsVisibilityTimeout,
  timeoutLimit,
  tracingDisabled,
  vpcConfig,
  vpcPermission,
  vpcPublicSubnet,
  xrayPermission,
];
