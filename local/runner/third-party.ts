// The third-party actions the workflows use, done locally, each at the commit the workflows pin:
// checkout (the workspace already is the working copy at the event's commit), setup-node and
// setup-python (what this machine has, checked against what is asked), setup-buildx (no engine), and
// configure-aws-credentials (the job's OIDC token exchanged for the role's credentials with STS
// AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL, so the job acts in its environment's account).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAction, LocalActionContext } from './types.js';

class ActionFailure extends Error {}

const checkout: LocalAction = {
  pins: { '08eba0b27e820071cde6df949e0beb9ba4906955': 'v4.3.0' },
  run: async (ctx) => {
    ctx.log(`Using the working copy at ${ctx.env.GITHUB_SHA?.slice(0, 12) ?? 'HEAD'} in ${ctx.workspace}`);
    return {};
  },
};

/**
 * `npm ci` as a dependency cache hit restores it: when the checkout's node_modules is this
 * machine's install linked in and package-lock.json is the one it was installed from, there is
 * nothing to do. With another lockfile the link goes first (npm ci would empty the folder it
 * points at, this machine's own install), and the real npm installs into the checkout.
 */
function npmWrapper(dir: string, realNpm: string): void {
  mkdirSync(dir, { recursive: true });
  const script = [
    '#!/usr/bin/env bash',
    'if [ "${1:-}" = ci ] && [ -L node_modules ] && cmp -s package-lock.json "$(dirname "$(readlink -f node_modules)")/package-lock.json"; then',
    '  echo "npm ci: node_modules restored from the local install (package-lock.json unchanged), as a dependency cache hit would"',
    '  exit 0',
    'fi',
    'if [ "${1:-}" = ci ] && [ -L node_modules ]; then rm node_modules; fi',
    `exec ${JSON.stringify(realNpm)} "$@"`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'npm'), script, { mode: 0o755 });
}

function setupNode(node: string): LocalAction {
  return {
    pins: { '49933ea5288caeca8642d1e84afbd3f7d6820020': 'v4.4.0' },
    run: async (ctx) => {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      const asked = ctx.inputs['node-version'] ?? '';
      if (asked && !version.startsWith(`v${asked.replace(/\.x$/, '')}`)) {
        throw new ActionFailure(`setup-node: node-version ${asked} was asked for; the local runner has ${version} (the runner's Node 24)`);
      }
      const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8', env: ctx.env }).trim();
      const bin = join(ctx.env.RUNNER_TEMP ?? ctx.workspace, 'setup-node-bin');
      npmWrapper(bin, realNpm);
      ctx.log(`Using Node ${version}, npm from ${realNpm}`);
      return { path: [bin, dirname(node)], outputs: { 'node-version': version } };
    },
  };
}

// There is no Docker engine offline: build-image finds each unchanged container by its content
// tag in the twin and builds nothing. A changed container would need docker, and fails saying so.
const setupBuildx: LocalAction = {
  pins: { e468171a9de216ec08956ac3ada2f0791b6bd435: 'v3.11.1' },
  run: async (ctx) => {
    ctx.log('No Docker engine offline: build-image reuses the images the twin knows by content tag; a changed container cannot be built here');
    return { outputs: { name: 'offline', driver: 'none', platforms: 'linux/amd64' } };
  },
};

const setupPython: LocalAction = {
  pins: { a26af69be951a213d495a4c3e4e4022e16d87065: 'v5.6.0' },
  run: async (ctx) => {
    const version = execFileSync('python3', ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8', env: ctx.env }).trim();
    const asked = ctx.inputs['python-version'] ?? '';
    if (asked && version !== asked && !version.startsWith(`${asked}.`)) {
      throw new ActionFailure(`setup-python: python-version ${asked} was asked for; this machine has Python ${version}`);
    }
    ctx.log(`Using Python ${version}`);
    return { outputs: { 'python-version': version } };
  },
};

async function idToken(ctx: LocalActionContext, audience: string): Promise<string> {
  const url = ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !token) {
    // The action's own words when the job lacks the permission.
    throw new ActionFailure('It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? '
      + 'If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.');
  }
  const response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ActionFailure(`Could not get an ID token from ${url}: HTTP ${response.status}`);
  return ((await response.json()) as { value: string }).value;
}

const configureAwsCredentials: LocalAction = {
  pins: { e3dd6a429d7300a6a4c196c26e071d42e0343502: 'v4.0.2' },
  run: async (ctx) => {
    const role = ctx.inputs['role-to-assume'];
    const region = ctx.inputs['aws-region'];
    if (!region) throw new ActionFailure('Input required and not supplied: aws-region');
    if (!role) throw new ActionFailure('Credentials could not be loaded, please check your action inputs: role-to-assume is empty');
    const audience = ctx.inputs.audience || 'sts.amazonaws.com';
    const webIdentityToken = await idToken(ctx, audience);
    const sts = new STSClient({ region, endpoint: ctx.env.AWS_ENDPOINT_URL_STS || ctx.env.AWS_ENDPOINT_URL, credentials: { accessKeyId: 'none', secretAccessKey: 'none' } });
    const session = ctx.inputs['role-session-name'] || 'GitHubActions';
    const durationSeconds = Number(ctx.inputs['role-duration-seconds'] || 3600);
    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: role, RoleSessionName: session, WebIdentityToken: webIdentityToken, DurationSeconds: durationSeconds,
    }));
    const c = out.Credentials!;
    const account = out.AssumedRoleUser?.Arn?.split(':')[4] ?? '';
    ctx.log(`Assumed role ${role} as ${out.AssumedRoleUser?.Arn}`);
    return {
      env: {
        AWS_ACCESS_KEY_ID: c.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!,
        AWS_SESSION_TOKEN: c.SessionToken!,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
      outputs: { 'aws-account-id': account },
      secrets: [c.SecretAccessKey!, c.SessionToken!],
    };
  },
};

/** Every third-party action the template's workflows use, by owner/name. */
export function localActions(node: string): Record<string, LocalAction> {
  return {
    'actions/checkout': checkout,
    'actions/setup-node': setupNode(node),
    'actions/setup-python': setupPython,
    'aws-actions/configure-aws-credentials': configureAwsCredentials,
    'docker/setup-buildx-action': setupBuildx,
  };
}
