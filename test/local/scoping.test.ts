// Every store of the twin is scoped to the caller's account and region by construction: what one
// region creates, another region of the same account neither sees nor lists, as in AWS.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackageGroupsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTwin, type Twin } from '../../local/server.js';
import { Store } from '../../local/store.js';

let twin: Twin;
const credentials = { accessKeyId: 'AKIATWINTEST', secretAccessKey: 'secret' };
const sagemaker = (region: string) => new SageMakerClient({ region, endpoint: twin.url, credentials });

beforeAll(async () => {
  twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'scoping-')) });
});
afterAll(() => twin.stop());

describe('stores scoped by account and region', () => {
  it('keeps a model package group in the region that created it', async () => {
    await sagemaker('us-east-1').send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
    const here = await sagemaker('us-east-1').send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
    expect(here.ModelPackageGroupArn).toBe('arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn-model');

    await expect(sagemaker('eu-west-1').send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }))).rejects.toThrow(
      'ModelPackageGroup arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/churn-model does not exist.',
    );
    const listed = await sagemaker('eu-west-1').send(new ListModelPackageGroupsCommand({}));
    expect(listed.ModelPackageGroupSummaryList).toEqual([]);
    // The same name is free in the other region.
    const there = await sagemaker('eu-west-1').send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
    expect(there.ModelPackageGroupArn).toBe('arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/churn-model');
  });

  it('keeps ECR repositories apart per region', async () => {
    const ecr = (region: string) => new ECRClient({ region, endpoint: twin.url, credentials });
    await ecr('us-east-1').send(new CreateRepositoryCommand({ repositoryName: 'sagemaker-gitops/training' }));
    const east = await ecr('us-east-1').send(new DescribeRepositoriesCommand({}));
    const west = await ecr('us-west-2').send(new DescribeRepositoriesCommand({}));
    expect(east.repositories?.map((r) => r.repositoryName)).toEqual(['sagemaker-gitops/training']);
    expect(west.repositories).toEqual([]);
  });

  it('gives each view of a collection only its own items', () => {
    const store = new Store(mkdtempSync(join(tmpdir(), 'scoped-')));
    store.regional<number>('c', { account: '111111111111', region: 'us-east-1' }).set('a', 1);
    store.regional<number>('c', { account: '111111111111', region: 'eu-west-1' }).set('a', 2);
    store.accountWide<number>('c', { account: '222222222222' }).set('a', 3);
    expect(store.regional<number>('c', { account: '111111111111', region: 'us-east-1' }).values()).toEqual([1]);
    expect(store.regional<number>('c', { account: '111111111111', region: 'eu-west-1' }).get('a')).toBe(2);
    expect(store.accountWide<number>('c', { account: '111111111111' }).values()).toEqual([1, 2]);
    expect(store.global<number>('c').values()).toEqual([1, 2, 3]);
    expect(store.all<number>('c').entries().map(([k]) => k)).toEqual(['111111111111/us-east-1/a', '111111111111/eu-west-1/a', '222222222222/a']);
  });
});
