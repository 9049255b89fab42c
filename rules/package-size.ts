import { defineRule } from '../src/engine/types.js';
import type { LambdaFunction, PackageSize } from '../src/model/types.js';

// docs/FACTS.md §1.2–1.3: 250 MB (262,144,000 bytes) unzipped for the function and all its layers;
// 50 MB zipped only when the zip travels in the API request (SAM, CDK and CloudFormation deploy
// through S3, so it does not bind them); CloudFormation's inline ZipFile zips to at most 4 MB.
const UNZIPPED_LIMIT = 262_144_000;
const DIRECT_UPLOAD_LIMIT = 52_428_800;
const INLINE_LIMIT = 4_194_304;

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function biggest(size: PackageSize): string {
  // Entries under 1 MB explain nothing about a 250 MB package.
  const big = size.biggest.filter((b) => b.bytes >= 1048576);
  return big.length
    ? big.map((b) => `${b.path} (${mb(b.bytes)}${b.note ? `, ${b.note}` : ''})`).join(', ')
    : 'many small files';
}

function layerSizes(fn: LambdaFunction): { bytes: number; names: string[] } {
  let bytes = 0;
  const names: string[] = [];
  for (const ref of fn.layers) {
    const layer = ref.target ? ref.layer : undefined;
    const s = layer?.code.size;
    if (layer && s) {
      bytes += s.unzippedBytes;
      names.push(`${layer.id} ${mb(s.unzippedBytes)}`);
    }
  }
  return { bytes, names };
}

export default defineRule({
  id: 'package-size',
  severity: 'error',
  category: 'limits',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['package-sizes'],
  docs: {
    summary: "Keep deployment packages within Lambda's hard size limits.",
    why: 'Lambda refuses a function whose code and layers unzip to more than 250 MB, a zip over 50 MB sent directly in the API request, and CloudFormation inline code whose zip exceeds 4 MB: the deploy fails.',
    fix: 'Leave development dependencies and test data out of the package, bundle and tree-shake the code, move large dependencies to a layer only if the total stays under 250 MB, or ship a container image (up to 10 GB).',
  },
  messages: {
    unzipped: "The package unzips to {{size}}{{layers}}, over Lambda's 250 MB limit; largest: {{biggest}}.",
    directUpload: 'The zip is {{size}}, over the 50 MB Lambda accepts in a direct upload; largest: {{biggest}}.',
    inline: "Inline code zips to {{size}}, over CloudFormation's 4 MB limit for ZipFile.",
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      if (fn.packageType === 'Image') continue;
      const code = fn.code;
      const size = code.size;
      if (code.kind === 'inline') {
        // The zip is at most the text plus its headers (about 100 bytes: a zip stores what deflate
        // cannot shrink), so smaller code is not deflated to know.
        if (
          size &&
          size.unzippedBytes + 1024 > INLINE_LIMIT &&
          size.zippedBytes !== undefined &&
          size.zippedBytes > INLINE_LIMIT
        )
          report({ messageId: 'inline', data: { size: mb(size.zippedBytes) }, at: code.origin, fn });
        continue;
      }
      const layers = layerSizes(fn);
      const own = size?.unzippedBytes ?? 0;
      if (size && own + layers.bytes > UNZIPPED_LIMIT) {
        const total = own + layers.bytes;
        report({
          messageId: 'unzipped',
          data: {
            size: (size.truncated ? 'more than ' : '') + mb(total),
            layers: layers.names.length ? ` with its layers (function ${mb(own)}, ${layers.names.join(', ')})` : '',
            biggest: biggest(size),
          },
          at: code.origin,
          fn,
        });
      } else if (size?.zippedBytes !== undefined && code.directUpload && size.zippedBytes > DIRECT_UPLOAD_LIMIT) {
        report({
          messageId: 'directUpload',
          data: { size: mb(size.zippedBytes), biggest: biggest(size) },
          at: code.origin,
          fn,
        });
      }
    }
  },
});
