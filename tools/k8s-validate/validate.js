// Kubernetes schema validation of manifests, offline (kubernetes-models bundles the API's
// JSON schemas). Reads a JSON array of [file, document] pairs on stdin (testsuite/manifests.sh
// converts the YAML), prints ok / not ok lines; kinds of other API groups are listed as skipped.
'use strict';
const fs = require('fs');
const docs = JSON.parse(fs.readFileSync(0, 'utf8'));
let bad = 0;
for (const [file, doc] of docs) {
  const group = { 'apps/v1': 'apps/v1', v1: 'v1' }[doc.apiVersion];
  let model;
  try {
    model = group && require(`kubernetes-models/${group}/${doc.kind}`)[doc.kind];
  } catch (e) {
    model = undefined;
  }
  if (!model) {
    console.log(`# ${file}: ${doc.apiVersion} ${doc.kind} has no bundled schema`);
    continue;
  }
  try {
    new model(doc).validate();
    console.log(`ok - ${file}: ${doc.kind}/${doc.metadata.name} matches the Kubernetes schema`);
  } catch (e) {
    bad++;
    console.log(`not ok - ${file}: ${doc.kind}/${doc.metadata.name}: ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
