// Loaded with import() only when an environment file names the account (see lazyClient).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sender } from '../../lib/aws.js';

export { STSClient };

/** The account and identity the credentials act as. */
export async function callerIdentity(sts: Sender<STSClient>): Promise<{ account?: string; arn?: string }> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { account: identity.Account, arn: identity.Arn };
}
