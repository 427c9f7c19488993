// The declarations the notebook editor type-checks cells against, generated from the source:
// the TypeScript compiler's declaration emit of lib/kernel/globals.ts and everything it reaches
// (lib/ml, lib/show, lib/datasets, the track/challenge/endpoints APIs), TSDoc kept, plus the .d.ts
// files TensorFlow.js ships, and a globals.d.ts declaring each kernel global from KernelGlobals.
// Written to public/vendor/notebook-types/types.json (self-hosted, gitignored) by postinstall and
// before a build; skipped when its inputs have not changed. `buildNotebookTypes()` is also what
// the lesson type-check test uses, so CI checks lessons against exactly what the editor loads.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const TYPES_DIR = join(root, "public", "vendor", "notebook-types");
export const TYPES_FILE = join(TYPES_DIR, "types.json");
/** Where the editor's TypeScript service finds the files (virtual paths). */
export const LIB_ROOT = "file:///cuaderno/";
export const NODE_MODULES = "file:///node_modules/";
export const GLOBALS_PATH = `${LIB_ROOT}globals.d.ts`;
const GLOBALS_SOURCE = join(root, "lib", "kernel", "globals.ts");

const posix = (p) => p.split(sep).join("/");

// Left out to keep the download small (their types are internals cells do not touch): a cell
// sees them as \`any\`. tfjs's own docs keep their text and parameters, without code examples.
// `tf.data` and `tf.loadGraphModel` (tfjs-data, tfjs-converter) are among them: no lesson uses them.
const LEFT_OUT = new Set(["@webgpu/types", "idb", "@tensorflow/tfjs-backend-cpu", "@tensorflow/tfjs-backend-webgl", "@tensorflow/tfjs-data", "@tensorflow/tfjs-converter"]);
// tfjs internals no lesson touches (model file formats, kernel registry, backends, tf.util, the
// image/linalg/signal/sparse/string op families, recurrent layers): `any` to a cell.
const LEFT_OUT_FILES =
  /@tensorflow\/tfjs-core\/dist\/(io\/|kernel_names|backends\/|kernel_registry|profiler|hash_util|log\.d|device_util|tape|util_base\.d|util\.d|platforms\/|test_util|jasmine_util|worker_util|browser_util|ops\/(signal|spectral|image|linalg|sparse|string)[_/.])|@tensorflow\/tfjs-layers\/dist\/(keras_format\/|layers\/(recurrent|convolutional_recurrent|wrappers|preprocessing|nlp))/;
const stripExamples = (text) =>
  text
    // A fenced example inside one doc comment: every line of it starts with "*" (never "*/").
    .replace(/^[ \t]*\*[ \t]*```[^\n]*\n(?:[ \t]*\*(?!\/)[^\n]*\n)*?[ \t]*\*[ \t]*```[^\n]*\n/gm, "")
    .replace(/^\s*\*\s*@doc\s*\{[^}]*\}\s*\n/gm, "")
    .replace(/^ {4,}/gm, (m) => " ".repeat(m.length >> 1));

// License headers repeat in every tfjs file; TSDoc (`/**` without @license) is kept.
const stripNoise = (text) =>
  text
    .replace(/\/\*\*?\s*\n?\s*\*?\s*@license[\s\S]*?\*\/\s*/g, "")
    .replace(/^\/\/# sourceMappingURL=.*$/gm, "")
    .replace(/^\/\/\/ <amd-module [^\n]*\n/gm, "")
    .replace(/^[ \t]*\*[ \t]*\n/gm, "")
    .replace(/\n{3,}/g, "\n\n");

// ---------- defaults in the docs ----------
// Declarations have no initializers (`seed?: number`), and signature help shows what the
// declarations say: each parameter's default is carried into its `@param` doc, and for an options
// object (`options = {}`) the defaults its fields document ("Default 1." or `@defaultValue 1`).

/** The default a field's doc states, or null: `@defaultValue x`, "Default x." or "`x` (default)". */
export function documentedDefault(doc, tags = []) {
  const tag = tags.find((t) => t.name === "defaultValue" || t.name === "default");
  const fromTag = tag?.text?.map((p) => p.text).join("").trim();
  if (fromTag) return fromTag;
  const m = /\bDefault(?:s| value is)?(?: to)?:?\s+((?:`[^`]*`|\d\.\d|[^.;(`])+?)\s*(?:\(|[.;]\s|[.;]?$)/.exec(doc) ?? /(`[^`]+`) \(default\)/.exec(doc) ?? /\(default ([\w.`"'-]+)\)/.exec(doc);
  const value = m?.[1].trim();
  return value && value.length <= 40 ? value : null;
}

/** The sentence a parameter's doc gains: its initializer, or its fields' documented defaults. */
function defaultNote(ts, checker, param, sourceFile) {
  const init = param.initializer.getText(sourceFile).replace(/\s+/g, " ");
  if (ts.isObjectLiteralExpression(param.initializer) && param.initializer.properties.length === 0) {
    const fields = checker
      .getTypeAtLocation(param)
      .getApparentProperties()
      .flatMap((p) => {
        const value = documentedDefault(ts.displayPartsToString(p.getDocumentationComment(checker)), p.getJsDocTags(checker));
        return value ? [`\`${p.name}\` ${value}`] : [];
      });
    return fields.length ? `Defaults: ${fields.join(", ")}.` : null;
  }
  return init.length <= 60 ? `Default \`${init}\`.` : null;
}

/** A doc comment's text (between `/**` and `*\/`) with `note` added to `@param name` (added when missing). */
export function addParamNote(comment, name, note) {
  const lines = comment.split("\n").map((l) => l.replace(/^\s*\*? ?/, ""));
  const at = lines.findIndex((l) => new RegExp(`^@param\\s+(?:\\{[^}]*\\}\\s*)?\\[?${name.replace(/\$/g, "\\$")}\\b`).test(l));
  if (at >= 0) {
    let end = at;
    while (end + 1 < lines.length && lines[end + 1].trim() !== "" && !lines[end + 1].startsWith("@")) end++;
    const tagText = lines.slice(at, end + 1).join(" ");
    if (/\bdefaults?\b/i.test(tagText.replace(/^@param\s+\S+/, ""))) return comment;
    lines[end] = `${lines[end].replace(/\s+$/, "")} ${note}`;
  } else {
    const firstTag = lines.findIndex((l) => l.startsWith("@"));
    const line = `@param ${name} - ${note}`;
    if (firstTag >= 0) lines.splice(firstTag, 0, line);
    else lines.push(line);
  }
  return lines.filter((l, i) => l.trim() !== "" || (i > 0 && i < lines.length - 1)).map((l) => ` * ${l}`.trimEnd()).join("\n");
}

/** An afterDeclarations transformer: function and method declarations whose source has parameter defaults get them in their docs. */
function documentDefaults(ts, checker) {
  return (context) => (root) => {
    const sourceFile = ts.getOriginalNode(root);
    const visit = (node) => {
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isMethodSignature(node)) {
        const original = ts.getOriginalNode(node);
        const params = original && original !== node && "parameters" in original ? original.parameters.filter((p) => p.initializer && ts.isIdentifier(p.name)) : [];
        const sf = original?.getSourceFile?.();
        if (params.length && sf) {
          const jsDoc = original.jsDoc?.at(-1);
          let comment = jsDoc ? sf.text.slice(jsDoc.pos + 3, jsDoc.end - 2) : "";
          let changed = false;
          for (const p of params) {
            const note = defaultNote(ts, checker, p, sf);
            if (!note) continue;
            const next = addParamNote(comment, p.name.text, note);
            changed ||= next !== comment;
            comment = next;
          }
          if (changed) {
            ts.setCommentRange(node, { pos: -1, end: -1 });
            ts.setEmitFlags(node, ts.getEmitFlags(node) | ts.EmitFlags.NoLeadingComments);
            ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, `*\n${comment}\n `, true);
          }
        }
        return node;
      }
      if (ts.isSourceFile(node) || ts.isModuleDeclaration(node) || ts.isModuleBlock(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) return ts.visitEachChild(node, visit, context);
      return node;
    };
    return sourceFile && ts.isSourceFile(root) ? ts.visitEachChild(root, visit, context) : root;
  };
}

/** The package folder of a file under node_modules (`…/node_modules/@scope/name`). */
function packageRootOf(file) {
  const parts = posix(file).split("/");
  const i = parts.lastIndexOf("node_modules");
  const n = parts[i + 1]?.startsWith("@") ? 3 : 2;
  return parts.slice(0, i + n).join("/");
}

/** Runs the compiler; returns { files: {virtualPath: text}, globals: string[] }. */
export function buildNotebookTypes() {
  const ts = require("typescript");
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    declaration: true,
    emitDeclarationOnly: true,
    removeComments: false,
    stripInternal: true,
    skipLibCheck: true,
    strict: true,
    types: [],
    baseUrl: root,
    paths: { "@/*": ["./*"] },
    noEmitOnError: false,
  };
  const program = ts.createProgram([GLOBALS_SOURCE], options);
  const files = {};
  const externalRoots = new Set();

  // 1. Our sources: declaration emit, `@/…` specifiers made relative to the virtual file.
  const checker = program.getTypeChecker();
  program.emit(undefined, (fileName, text) => {
    const rel = posix(relative(root, fileName));
    if (rel.startsWith("..") || rel.startsWith("node_modules/")) return;
    const from = dirname(rel);
    const fixed = text.replace(/(from\s+|import\()(["'])@\/([^"']+)\2/g, (_m, pre, q, target) => {
      let r = posix(relative(from, target));
      if (!r.startsWith(".")) r = `./${r}`;
      return `${pre}${q}${r}${q}`;
    });
    files[LIB_ROOT + rel] = stripNoise(fixed);
  }, undefined, true, { afterDeclarations: [documentDefaults(ts, checker)] });

  // 2. Declarations of packages our declarations import (tfjs and what its .d.ts reference).
  const libDir = posix(dirname(require.resolve("typescript/lib/lib.d.ts")));
  const seen = new Set();
  const addPackageFile = (fileName, text) => {
    const p = posix(fileName);
    if (p.startsWith(libDir) || seen.has(p)) return;
    seen.add(p);
    const inNm = p.slice(p.lastIndexOf("/node_modules/") + "/node_modules/".length);
    const pkgRoot = packageRootOf(p);
    externalRoots.add(pkgRoot);
    if (LEFT_OUT.has(pkgRoot.slice(pkgRoot.lastIndexOf("/node_modules/") + "/node_modules/".length))) return;
    if (LEFT_OUT_FILES.test(inNm)) return;
    files[NODE_MODULES + inNm] = stripExamples(stripNoise(text));
  };
  const tfEntry = require.resolve("@tensorflow/tfjs/dist/index.d.ts");
  const tfProgram = ts.createProgram([tfEntry], { ...options, declaration: false, emitDeclarationOnly: false, noEmit: true, paths: undefined, baseUrl: undefined });
  for (const sf of tfProgram.getSourceFiles()) if (sf.fileName.includes("/node_modules/")) addPackageFile(sf.fileName, sf.text);
  for (const sf of program.getSourceFiles()) if (sf.fileName.includes("/node_modules/")) addPackageFile(sf.fileName, sf.text);

  // A package's entry as `<package>/index.d.ts` so resolution needs no package.json.
  for (const pkgRoot of externalRoots) {
    const name = pkgRoot.slice(pkgRoot.lastIndexOf("/node_modules/") + "/node_modules/".length);
    const shim = `${NODE_MODULES}${name}/index.d.ts`;
    if (files[shim]) continue;
    if (LEFT_OUT.has(name)) {
      files[shim] = "export {};\n";
      continue;
    }
    const pkg = JSON.parse(readFileSync(join(pkgRoot, "package.json"), "utf8"));
    const entry = (pkg.types ?? pkg.typings ?? "index.d.ts").replace(/^\.\//, "").replace(/\.d\.ts$/, "");
    files[shim] = `export * from "./${entry}";\n`;
  }

  // 3. globals.d.ts: one `declare const` per member of KernelGlobals, with its TSDoc.
  const globalsFile = program.getSourceFile(GLOBALS_SOURCE);
  let iface;
  ts.forEachChild(globalsFile, (n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === "KernelGlobals") iface = n;
  });
  if (!iface) throw new Error("notebook-types: lib/kernel/globals.ts has no KernelGlobals interface");
  const globals = [];
  const lines = ["// Generated by scripts/notebook-types.mjs from lib/kernel/globals.ts (KernelGlobals): do not edit.", ""];
  // A module namespace (`tf: typeof TfModule`) becomes a UMD global, so that cells also name its
  // types: `let model: tf.Sequential`. Everything else is a `declare const` of its member's type.
  const namespaceImports = new Map();
  for (const st of globalsFile.statements) {
    const bindings = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamespaceImport(bindings)) namespaceImports.set(bindings.name.text, st.moduleSpecifier.text);
  }
  const docComment = (doc) => (doc ? `/**\n${doc.split("\n").map((l) => ` * ${l}`.trimEnd()).join("\n")}\n */\n` : "");
  for (const member of iface.members) {
    const name = member.name.getText(globalsFile);
    const sym = checker.getSymbolAtLocation(member.name);
    const doc = sym ? ts.displayPartsToString(sym.getDocumentationComment(checker)) : "";
    globals.push(name);
    const t = member.type;
    const spec = t && ts.isTypeQueryNode(t) && ts.isIdentifier(t.exprName) ? namespaceImports.get(t.exprName.text) : undefined;
    if (spec) {
      const from = spec.startsWith("@/") ? `./${spec.slice(2)}` : spec;
      files[`${LIB_ROOT}globals-${name}.d.ts`] = `// Generated by scripts/notebook-types.mjs from lib/kernel/globals.ts: do not edit.\n${docComment(doc)}export * from ${JSON.stringify(from)};\nexport as namespace ${name};\n`;
      continue;
    }
    lines.push(`${docComment(doc)}declare const ${name}: import("./lib/kernel/globals").KernelGlobals[${JSON.stringify(name)}];`);
  }
  files[GLOBALS_PATH] = lines.join("\n") + "\n";

  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  // Our sources the program read (what a change must regenerate the file for).
  const inputs = program
    .getSourceFiles()
    .map((sf) => posix(relative(root, sf.fileName)))
    .filter((rel) => !rel.startsWith("..") && !rel.startsWith("node_modules/"))
    .sort();
  return { files, globals, inputs, diagnostics: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
}

/** What the output was made from: this script, the compiler and tfjs versions, and every source file read (size and mtime). */
function fingerprintOf(inputs) {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const pkg of ["typescript", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-layers"]) {
    hash.update(`${pkg}@${JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version}\n`);
  }
  for (const rel of inputs) {
    const p = join(root, rel);
    const st = existsSync(p) ? statSync(p) : null;
    hash.update(`${rel}\0${st ? `${st.size}\0${Math.floor(st.mtimeMs)}` : "missing"}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** Writes types.json unless it is up to date; returns its path. */
export function writeNotebookTypes({ force = false } = {}) {
  if (!force && existsSync(TYPES_FILE)) {
    try {
      const old = JSON.parse(readFileSync(TYPES_FILE, "utf8"));
      if (Array.isArray(old.inputs) && old.fingerprint === fingerprintOf(old.inputs)) {
        console.log("notebook-types: up to date");
        return TYPES_FILE;
      }
    } catch {
      // rewritten below
    }
  }
  const started = performance.now();
  const { files, globals, diagnostics, inputs } = buildNotebookTypes();
  const fingerprint = fingerprintOf(inputs);
  for (const d of diagnostics) console.warn(`notebook-types: ${d}`);
  mkdirSync(TYPES_DIR, { recursive: true });
  const body = JSON.stringify({ fingerprint, inputs, globals, files });
  // Written aside and renamed: another start reading it meanwhile sees the old file or the new one.
  const tmp = `${TYPES_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, TYPES_FILE);
  console.log(
    `notebook-types: ${Object.keys(files).length} declaration files, ${(body.length / 1024).toFixed(0)} kB, globals ${globals.join(", ")} (${Math.round(performance.now() - started)} ms)`,
  );
  return TYPES_FILE;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  try {
    require.resolve("typescript");
  } catch {
    // An install without devDependencies: the editor then works without types.
    console.warn("notebook-types: the typescript package is not installed; the editor will have no declarations");
    process.exit(0);
  }
  writeNotebookTypes({ force: process.argv.includes("--force") });
}
