// ECR's CloudFormation resource: repositories, through the twin's ECR operations.
import { alreadyExists, call, generatedName, ignoringNotFound, type Operations, type Provider } from '../cloudformation/provider.js';
import type { TwinError } from '../errors.js';

export function ecrResources(ecr: Operations): Record<string, Provider> {
  return {
    'AWS::ECR::Repository': {
      replaceOn: ['RepositoryName', 'EncryptionConfiguration'],
      create: (props, p) => {
        const name = props.RepositoryName ?? generatedName(p, 256).toLowerCase();
        try {
          call(ecr, 'CreateRepository', { repositoryName: name, imageTagMutability: props.ImageTagMutability, imageScanningConfiguration: { scanOnPush: Boolean(props.ImageScanningConfiguration?.ScanOnPush) } }, p);
        } catch (error) {
          if ((error as TwinError).code === 'RepositoryAlreadyExistsException') throw alreadyExists('AWS::ECR::Repository', name);
          throw error;
        }
        return { physicalId: name, attributes: { Arn: `arn:aws:ecr:${p.ctx.region}:${p.ctx.account}:repository/${name}`, RepositoryUri: `${p.ctx.account}.dkr.ecr.${p.ctx.region}.amazonaws.com/${name}` } };
      },
      // Tag mutability, scanning and lifecycle are recorded in the template only: the twin's ECR does not enforce them after creation.
      update: (id, _props, _prev, p) => ({ Arn: `arn:aws:ecr:${p.ctx.region}:${p.ctx.account}:repository/${id}`, RepositoryUri: `${p.ctx.account}.dkr.ecr.${p.ctx.region}.amazonaws.com/${id}` }),
      delete: (id, _props, p) => ignoringNotFound(() => call(ecr, 'DeleteRepository', { repositoryName: id }, p)),
    },
  };
}
