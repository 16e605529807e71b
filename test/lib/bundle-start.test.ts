import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// What each bundled action loads before its first AWS call: the SDK client of that call, and no
// other (the rest are chunks loaded by lazyClient). Each extra client costs the cold start tens of
// milliseconds (`npx projen bench` measures it). The SDK's own STS client (nested-clients, for
// web-identity credentials) is a chunk of every bundle that calls AWS, loaded only for those credentials.
const CLIENTS = ['CloudFormationClient', 'SageMakerClient', 'CloudWatchClient', 'S3Client', 'ECRClient', 'SageMakerRuntimeClient', 'STSClient'];
const AT_START: Record<string, string[]> = {
  'approve-model': ['SageMakerClient'],
  'build-image': ['ECRClient'],
  'deploy-stack': ['CloudFormationClient'],
  'environment': [],
  'gate-metrics': ['SageMakerClient'],
  'promote': ['SageMakerClient'],
  'register-model': ['SageMakerClient'],
  'run-pipeline': ['SageMakerClient'],
  'smoke-test': ['SageMakerRuntimeClient'],
};
const LATER: Record<string, string[]> = {
  'approve-model': ['S3Client', 'STSClient'],
  'build-image': ['STSClient'],
  'deploy-stack': ['SageMakerClient', 'CloudWatchClient', 'S3Client', 'STSClient'],
  'gate-metrics': ['S3Client', 'STSClient'],
  'promote': ['S3Client', 'STSClient'],
  // registry.ts's S3 chunk comes along with it; register-model never sends to S3, so never loads it.
  'register-model': ['S3Client', 'STSClient'],
  'run-pipeline': ['S3Client', 'STSClient'],
  'smoke-test': ['STSClient'],
};

// Module concatenation may prefix a class name with its module's (`SageMakerClient_SageMakerClient`).
const classesIn = (code: string) => CLIENTS.filter((c) => new RegExp(`class (\\w+_)?${c}\\b`).test(code));

describe.each(Object.keys(AT_START))('%s bundle', (action) => {
  const dist = join('actions', action, 'dist');
  const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f));

  it('loads only the client of its first call at start', () => {
    expect(classesIn(readFileSync(join(dist, 'index.js'), 'utf8'))).toEqual(AT_START[action]);
  });

  it('starts on zod/mini and js-yaml, without classic zod or the yaml library', () => {
    // Both were 15-25 ms of a cold start each (see core/zod.ts and core/yaml.ts).
    const start = readFileSync(join(dist, 'index.js'), 'utf8');
    expect({ classicZod: start.includes('"ZodObject"'), yaml: start.includes('YAMLParseError'), zodMini: start.includes('"ZodMiniObject"') })
      .toEqual({ classicZod: false, yaml: false, zodMini: true });
  });

  it('keeps the other clients in chunks loaded on first use', () => {
    const later = chunks.flatMap((f) => classesIn(readFileSync(join(dist, f), 'utf8')));
    expect([...new Set(later)].sort()).toEqual([...(LATER[action] ?? [])].sort());
  });
});

it('covers every action', () => {
  expect(readdirSync('actions').filter((a) => a !== 'lib').sort()).toEqual(Object.keys(AT_START).sort());
});
