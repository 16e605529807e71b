// ECR: repositories, images by tag and digest, and the authorization token. The project's own
// containers are known by the content hash of their folder (the tag build-image gives them), so a
// build of unchanged content finds its image offline, with no Docker engine.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BatchGetImageRequest,
  ListImagesRequest,
  CreateRepositoryRequest,
  DeleteRepositoryRequest,
  DescribeImagesRequest,
  DescribeRepositoriesRequest,
  GetAuthorizationTokenRequest,
  PutImageRequest,
} from '@aws-sdk/client-ecr';
import { contentHash } from '../../core/content-hash.js';
import { dateOf } from '../clock.js';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { page } from '../protocols/paging.js';

interface Repository {
  name: string;
  account: string;
  region: string;
  created: number;
  mutability: string;
  scanOnPush: boolean;
}
interface Image {
  repository: string;
  digest: string;
  tags: string[];
  pushed: number;
  size: number;
  /** The manifest PutImage stored; images the twin knows by content tag have none. */
  manifest?: string;
}

const repositories = (ctx: RequestContext) => ctx.store.regional<Repository>('ecr-repositories', ctx);
const images = (ctx: RequestContext) => ctx.store.regional<Image>('ecr-images', ctx);
const uri = (ctx: RequestContext, name: string) => `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`;

function describe(ctx: RequestContext, r: Repository) {
  return {
    repositoryArn: `arn:aws:ecr:${r.region}:${r.account}:repository/${r.name}`,
    registryId: r.account,
    repositoryName: r.name,
    repositoryUri: uri(ctx, r.name),
    createdAt: dateOf(r.created),
    imageTagMutability: r.mutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function requireRepository(ctx: RequestContext, name: string): Repository {
  const r = repositories(ctx).get(name);
  if (!r) throw new TwinError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${ctx.account}'`);
  return r;
}

/** The image of containers/<last part of the repository name>, when the tag is its content tag. */
function containerImage(ctx: RequestContext, repoRoot: string, repository: string, tag: string | undefined): Image | undefined {
  const folder = join(repoRoot, 'containers', repository.split('/').pop() ?? '');
  if (!tag || !existsSync(join(folder, 'Dockerfile'))) return undefined;
  const hash = contentHash(folder);
  if (tag !== `content-${hash.slice(0, 16)}`) return undefined;
  const image: Image = { repository, digest: `sha256:${createHash('sha256').update(hash).digest('hex')}`, tags: [tag], pushed: Date.now(), size: 0 };
  return images(ctx).get(`${repository}@${image.digest}`) ?? images(ctx).set(`${repository}@${image.digest}`, image);
}

interface EcrInputs {
  CreateRepository: CreateRepositoryRequest;
  DescribeRepositories: DescribeRepositoriesRequest;
  DeleteRepository: DeleteRepositoryRequest;
  DescribeImages: DescribeImagesRequest;
  PutImage: PutImageRequest;
  GetAuthorizationToken: GetAuthorizationTokenRequest;
  ListImages: ListImagesRequest;
  BatchGetImage: BatchGetImageRequest;
}

export function ecrOperations(repoRoot: string): Operations<EcrInputs> {
  return {
    CreateRepository: (input, ctx) => {
      const name = String(input.repositoryName ?? '');
      if (repositories(ctx).has(name)) {
        throw new TwinError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.account}'`);
      }
      const r = repositories(ctx).set(name, {
        name,
        account: ctx.account,
        region: ctx.region,
        created: Date.now(),
        mutability: input.imageTagMutability ?? 'MUTABLE',
        scanOnPush: Boolean(input.imageScanningConfiguration?.scanOnPush),
      });
      return { repository: describe(ctx, r) };
    },
    DescribeRepositories: (input, ctx) => {
      const names: string[] | undefined = input.repositoryNames;
      const mine = () => repositories(ctx).values();
      const list = names ? names.map((n) => requireRepository(ctx, n)) : mine();
      return { repositories: list.map((r) => describe(ctx, r)) };
    },
    DeleteRepository: (input, ctx) => {
      const r = requireRepository(ctx, String(input.repositoryName ?? ''));
      repositories(ctx).delete(r.name);
      return { repository: describe(ctx, r) };
    },
    DescribeImages: (input, ctx) => {
      const r = requireRepository(ctx, String(input.repositoryName ?? ''));
      const stored = images(ctx).values().filter((i) => i.repository === r.name);
      const found = (input.imageIds ?? [{}]).map((id: { imageTag?: string; imageDigest?: string }) => {
        if (!input.imageIds) return undefined;
        const image = stored.find((i) => (id.imageDigest && i.digest === id.imageDigest) || (id.imageTag && i.tags.includes(id.imageTag)))
          ?? containerImage(ctx, repoRoot, r.name, id.imageTag);
        if (!image) {
          throw new TwinError('ImageNotFoundException', `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${r.name}' in the registry with id '${ctx.account}'`);
        }
        return image;
      }).filter(Boolean) as Image[];
      const list = input.imageIds ? found : stored;
      return {
        imageDetails: list.map((i) => ({
          registryId: ctx.account,
          repositoryName: r.name,
          imageDigest: i.digest,
          imageTags: i.tags,
          imageSizeInBytes: i.size,
          imagePushedAt: dateOf(i.pushed),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        })),
      };
    },
    PutImage: (input, ctx) => {
      const r = requireRepository(ctx, String(input.repositoryName ?? ''));
      const manifest = String(input.imageManifest ?? '');
      const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
      const tag = input.imageTag as string | undefined;
      if (tag && r.mutability === 'IMMUTABLE' && images(ctx).values().some((i) => i.repository === r.name && i.tags.includes(tag) && i.digest !== digest)) {
        throw new TwinError('ImageTagAlreadyExistsException', `The image tag '${tag}' already exists in the '${r.name}' repository and cannot be overwritten because the repository is immutable.`);
      }
      const id = `${r.name}@${digest}`;
      const image = images(ctx).get(id) ?? { repository: r.name, digest, tags: [], pushed: Date.now(), size: manifest.length, manifest };
      if (tag && !image.tags.includes(tag)) image.tags.push(tag);
      images(ctx).set(id, image);
      return { image: { registryId: ctx.account, repositoryName: r.name, imageId: { imageDigest: digest, imageTag: tag }, imageManifest: manifest } };
    },
    ListImages: (input, ctx) => {
      const r = requireRepository(ctx, String(input.repositoryName ?? ''));
      const ids = images(ctx).values()
        .filter((i) => i.repository === r.name)
        .flatMap((i) => (i.tags.length ? i.tags.map((t) => ({ imageDigest: i.digest, imageTag: t })) : [{ imageDigest: i.digest }]));
      const status = input.filter?.tagStatus;
      const wanted = ids.filter((id) => !status || status === 'ANY' || (status === 'TAGGED') === ('imageTag' in id));
      const { items, next } = page(wanted, input.nextToken, input.maxResults ?? 1000);
      return { imageIds: items, nextToken: next };
    },
    BatchGetImage: (input, ctx) => {
      const r = requireRepository(ctx, String(input.repositoryName ?? ''));
      const stored = images(ctx).values().filter((i) => i.repository === r.name);
      const found: unknown[] = [];
      const failures: unknown[] = [];
      for (const id of input.imageIds ?? []) {
        const image = stored.find((i) => (id.imageDigest && i.digest === id.imageDigest) || (id.imageTag && i.tags.includes(id.imageTag)))
          ?? containerImage(ctx, repoRoot, r.name, id.imageTag);
        if (!image) {
          failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
          continue;
        }
        const manifest = image.manifest ?? JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { digest: image.digest } });
        found.push({
          registryId: ctx.account,
          repositoryName: r.name,
          imageId: { imageDigest: image.digest, imageTag: id.imageTag },
          imageManifest: manifest,
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        });
      }
      return { images: found, failures };
    },
    GetAuthorizationToken: (_input, ctx) => ({
      authorizationData: [{
        authorizationToken: Buffer.from(`AWS:${randomBytes(24).toString('base64')}`).toString('base64'),
        expiresAt: dateOf(Date.now() + 12 * 3600_000),
        proxyEndpoint: `https://${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com`,
      }],
    }),
  };
}
