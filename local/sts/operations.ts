// STS over awsQuery: who the caller is, and the OIDC role assumption a workflow's credentials step does.
import { randomBytes } from 'node:crypto';
import type {
  AssumeRoleWithWebIdentityRequest,
  GetCallerIdentityRequest,
} from '@aws-sdk/client-sts';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';

interface IssuedCredentials {
  account: string;
  arn: string;
  userId: string;
  expiration: number;
}

const issued = (ctx: RequestContext) => ctx.store.global<IssuedCredentials>('sts-credentials');

/** The account a signed request acts in: the assumed role's, or the twin's default account. */
export function accountOf(ctx: Pick<RequestContext, 'store'>, accessKeyId: string | undefined, fallback: string): string {
  return (accessKeyId && ctx.store.global<IssuedCredentials>('sts-credentials').get(accessKeyId)?.account) || fallback;
}

interface StsInputs {
  GetCallerIdentity: GetCallerIdentityRequest;
  AssumeRoleWithWebIdentity: AssumeRoleWithWebIdentityRequest;
}

export const stsOperations: Operations<StsInputs> = {
  GetCallerIdentity: (_params, ctx) => {
    const creds = ctx.accessKeyId ? issued(ctx).get(ctx.accessKeyId) : undefined;
    if (creds) return { UserId: creds.userId, Account: creds.account, Arn: creds.arn };
    return { UserId: 'AIDATWINUSER', Account: ctx.account, Arn: `arn:aws:iam::${ctx.account}:user/twin` };
  },

  AssumeRoleWithWebIdentity: (params, ctx) => {
    const roleArn = params.RoleArn ?? '';
    const m = roleArn.match(/^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/);
    if (!m) throw new TwinError('ValidationError', `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a role ARN`);
    const session = String(params.RoleSessionName);
    if (!params.WebIdentityToken) throw new TwinError('InvalidIdentityToken', 'Couldn\'t retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements');
    const seconds = Number(params.DurationSeconds ?? 3600);
    const accessKeyId = `ASIATWIN${randomBytes(6).toString('hex').toUpperCase()}`;
    const roleId = `AROATWIN${m[2].toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12)}`;
    const arn = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}`;
    const expiration = Date.now() + seconds * 1000;
    issued(ctx).set(accessKeyId, { account: m[1], arn, userId: `${roleId}:${session}`, expiration });
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: randomBytes(20).toString('hex'), SessionToken: randomBytes(32).toString('base64'), Expiration: new Date(expiration) },
      SubjectFromWebIdentityToken: 'repo:twin/twin:ref:refs/heads/main',
      AssumedRoleUser: { AssumedRoleId: `${roleId}:${session}`, Arn: arn },
      Provider: 'token.actions.githubusercontent.com',
      Audience: 'sts.amazonaws.com',
    };
  },
};
