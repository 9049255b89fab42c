// Every rule of the catalog (RULES.md), in id order. A meta-test keeps this list complete.
import type { AnyRule } from '../src/engine/types.js';
import deprecatedRuntime from './deprecated-runtime.js';
import destinationPermission from './destination-permission.js';
import eventSourcePermission from './event-source-permission.js';
import invokePermission from './invoke-permission.js';
import latestInProduction from './latest-in-production.js';
import logsPermission from './logs-permission.js';
import memoryLimit from './memory-limit.js';
import packageSize from './package-size.js';
import timeoutLimit from './timeout-limit.js';
import vpcConfig from './vpc-config.js';
import vpcPermission from './vpc-permission.js';
import xrayPermission from './xray-permission.js';

export const rules: readonly AnyRule[] = [
  deprecatedRuntime,
  destinationPermission,
  eventSourcePermission,
  invokePermission,
  latestInProduction,
  logsPermission,
  memoryLimit,
  packageSize,
  timeoutLimit,
  vpcConfig,
  vpcPermission,
  xrayPermission,
];
