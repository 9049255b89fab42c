# Until lambdalint is published on npm: from the repository at a tag or commit...
npm install --save-dev github:lambdalint/lambdalint#v0.1.0
# ...or from a tarball made in a clone of it with `npm pack`
npm install --save-dev ./lambdalint-0.1.0.tgz
npx lambdalint .
