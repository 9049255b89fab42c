import { defineRule } from '../src/engine/types.js';

// The Node.js runtime loads <module>.js, .mjs or .cjs and calls the named export; the Python runtime
// imports <module>.py and calls the named function (Lambda developer guide, "Define Lambda function
// handler in Node.js / Python"). CloudFormation inline code is written to a file named index
// (docs/FACTS.md §1.3). Analysis: src/code/analyse.ts.
export default defineRule({
  id: 'handler-not-found',
  severity: 'error',
  category: 'code',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Point Handler at a file and a function that the code package holds.',
    why: 'Lambda resolves Handler only when the function is invoked: a wrong file or export name deploys fine and fails every invocation with Runtime.ImportModuleError or Runtime.HandlerNotFound.',
    fix: 'Correct Handler (<file without extension>.<export> for Node.js, <module>.<function> for Python), or export the function under that name. For bundled TypeScript, name the entry point the Handler file refers to.',
  },
  messages: {
    noFile: 'Handler {{handler}} of {{fn}} names {{file}}, which is not in {{where}}.',
    noExport: 'Handler {{handler}} of {{fn}} names {{name}}, which {{file}} does not define.',
    notFunction: 'Handler {{handler}} of {{fn}} names {{name}} in {{file}}, which is not a function.',
    wsgiNoApp:
      'Handler {{handler}} of {{fn}} serves the WSGI app {{app}} (custom.wsgi.app of serverless-wsgi), but {{file}} does not define {{name}}.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || !fn.handler) continue;
      const handler = fn.handler.value ?? '';
      const where =
        fn.code.kind === 'inline'
          ? 'its inline code (CloudFormation names that file index)'
          : hc.entryPoints
            ? 'the esbuild EntryPoints of its code folder'
            : 'its code folder';
      const file = hc.file ? hc.file.split(/[\\/]/).pop()! : (hc.expected ?? '?');
      if (hc.status === 'no-file') {
        report({
          messageId: 'noFile',
          data: { handler, fn: fn.id, file: hc.expected ?? '?', where },
          at: fn.handler,
          fn,
          related: [{ at: fn.code.origin, message: 'code location' }],
        });
      } else if (hc.status === 'no-export' && fn.meta.wsgiApp) {
        // serverless-wsgi's generated handler imports the app when it starts and answers 500 to every request without it.
        report({
          messageId: 'wsgiNoApp',
          data: { handler, fn: fn.id, app: fn.meta.wsgiApp, name: hc.exportName ?? '?', file },
          at: fn.handler,
          fn,
        });
      } else if (hc.status === 'no-export') {
        report({
          messageId: 'noExport',
          data: { handler, fn: fn.id, name: hc.exportName ?? '?', file },
          at: fn.handler,
          fn,
        });
      } else if (hc.status === 'not-function') {
        report({
          messageId: 'notFunction',
          data: { handler, fn: fn.id, name: hc.exportName ?? '?', file },
          at: fn.handler,
          fn,
          related: hc.exportOrigin ? [{ at: hc.exportOrigin, message: `${hc.exportName} defined here` }] : undefined,
        });
      }
    }
  },
});
