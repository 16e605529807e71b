import { UserError } from '../../core/errors.js';

/** The link to this workflow run, when running on GitHub Actions. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

/** The region from the input, else AWS_REGION / AWS_DEFAULT_REGION; an error says how to set one. */
export function regionFrom(input: string | undefined, env: NodeJS.ProcessEnv): string {
  const region = input ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UserError("No region: set the 'region' input or AWS_REGION");
  return region;
}
