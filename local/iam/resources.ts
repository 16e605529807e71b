// IAM's CloudFormation resources: roles and their inline policies, kept per account (IAM has no
// regions). The twin has no IAM API; roles exist for the templates that create them.
import { randomBytes } from 'node:crypto';
import { alreadyExists, generatedName, type Provider, Input } from '../cloudformation/provider.js';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';

const iamRoles = (ctx: RequestContext) => ctx.store.accountWide<{ name: string; arn: string; roleId: string; props: Input; policies: Record<string, Input> }>('iam-roles', ctx);

export const iamResources: Record<string, Provider> = {
  'AWS::IAM::Role': {
    replaceOn: ['RoleName', 'Path'],
    create: (props, p) => {
      const name = props.RoleName ?? generatedName(p, 64);
      if (iamRoles(p.ctx).has(name)) throw alreadyExists('AWS::IAM::Role', name);
      const arn = `arn:aws:iam::${p.ctx.account}:role${props.Path ?? '/'}${name}`;
      const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
      iamRoles(p.ctx).set(name, { name, arn, roleId, props, policies: {} });
      return { physicalId: name, attributes: { Arn: arn, RoleId: roleId } };
    },
    update: (id, props, _prev, p) => {
      const role = iamRoles(p.ctx).update(id, (r) => (r.props = props))!;
      return { Arn: role.arn, RoleId: role.roleId };
    },
    delete: (id, _props, p) => {
      const role = iamRoles(p.ctx).get(id);
      if (role && Object.keys(role.policies).length) throw new TwinError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      iamRoles(p.ctx).delete(id);
    },
  },
  'AWS::IAM::RolePolicy': {
    replaceOn: ['PolicyName', 'RoleName'],
    create: (props, p) => {
      const key = String(props.RoleName);
      if (!iamRoles(p.ctx).has(key)) throw new TwinError('NoSuchEntity', `The role with name ${props.RoleName} cannot be found.`);
      iamRoles(p.ctx).update(key, (r) => (r.policies[props.PolicyName] = props.PolicyDocument));
      return { physicalId: generatedName(p, 128), attributes: {} };
    },
    update: (_id, props, _prev, p) => {
      iamRoles(p.ctx).update(String(props.RoleName), (r) => (r.policies[props.PolicyName] = props.PolicyDocument));
      return {};
    },
    delete: (_id, props, p) => void iamRoles(p.ctx).update(String(props.RoleName), (r) => delete r.policies[props.PolicyName]),
  },
};
