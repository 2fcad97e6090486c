import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataPlaneStack, RUNTIME_SECRET_KEYS, TOPICS, WORKER_GROUPS } from '../lib/data-plane-stack.ts';

// The synthesized CloudFormation template of the production data plane, asserted with aws-cdk-lib/assertions.

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
let template: Template;
let stack: DataPlaneStack;

beforeAll(() => {
  const app = new App();
  stack = new DataPlaneStack(app, 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    alarmEmail: 'oncall@flowforge.example',
  });
  template = Template.fromStack(stack);
});

const resources = (type: string): Resources => template.findResources(type) as Resources;
const statements = (): { Effect: string; Action: string | string[]; Resource: unknown }[] =>
  Object.values(resources('AWS::IAM::Role')).flatMap((r) =>
    ((r.Properties.Policies as { PolicyDocument: { Statement: [] } }[] | undefined) ?? []).flatMap(
      (p) => p.PolicyDocument.Statement,
    ),
  );

describe('data plane stack', () => {
  it('synthesizes without errors or warnings', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('creates the VPC, an EKS cluster in private subnets and a 3-broker MSK cluster', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: Match.objectLike({ Enabled: true }),
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
    });
    template.hasResourceProperties('AWS::MSK::Cluster', {
      NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: Match.objectLike({ ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } } }),
    });
    const [eks] = Object.values(resources('AWS::EKS::Cluster'));
    const privateSubnets = Object.entries(resources('AWS::EC2::Subnet'))
      .filter(([, s]) => s.Properties.MapPublicIpOnLaunch === false)
      .map(([id]) => id);
    const eksSubnets = (eks!.Properties.ResourcesVpcConfig as { SubnetIds: { Ref: string }[] }).SubnetIds.map(
      (s) => s.Ref,
    );
    expect(eksSubnets.length).toBeGreaterThan(0);
    expect(eksSubnets.every((s) => privateSubnets.includes(s))).toBe(true);
  });

  it('opens no security group to the internet; Kafka only from the cluster', () => {
    const open = (rule: { CidrIp?: string; CidrIpv6?: string }) =>
      rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
    for (const sg of Object.values(resources('AWS::EC2::SecurityGroup'))) {
      expect(((sg.Properties.SecurityGroupIngress as []) ?? []).filter(open)).toEqual([]);
    }
    for (const rule of Object.values(resources('AWS::EC2::SecurityGroupIngress'))) {
      expect(open(rule.Properties)).toBe(false);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9098,
      ToPort: 9098,
      SourceSecurityGroupId: Match.objectLike({
        'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'],
      }),
    });
  });

  it('encrypts at rest with a rotating customer key: Kafka volumes, EKS secrets, the runtime secret, logs, alarms', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] };
    template.hasResourceProperties('AWS::MSK::Cluster', {
      EncryptionInfo: {
        EncryptionAtRest: { DataVolumeKMSKeyId: keyRef },
        EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true },
      },
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyRef });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyRef });
    for (const group of Object.values(resources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toBeDefined();
    }
  });

  it('documents the runtime secret keys the prod pods read', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'flowforge/dataplane',
      Description: Match.stringLikeRegexp(RUNTIME_SECRET_KEYS.join(', ')),
    });
  });

  it('grants least privilege: no wildcard action, Kafka rights scoped to this cluster, its topics and group', () => {
    for (const s of statements()) {
      const actions = [s.Action].flat();
      expect(
        actions.some((a) => a === '*' || a.endsWith(':*')),
        JSON.stringify(s),
      ).toBe(false);
      if (actions.some((a) => a.startsWith('kafka-cluster:'))) expect(s.Resource).not.toBe('*');
    }
    const kafkaResources = JSON.stringify(
      statements().filter((s) => [s.Action].flat().some((a) => a.startsWith('kafka-cluster:'))),
    );
    for (const topic of TOPICS) expect(kafkaResources).toContain(`topic/flowforge/*/${topic}`);
    for (const group of Object.keys(WORKER_GROUPS))
      expect(kafkaResources).toContain(`group/flowforge/*/${group}`);
    // Only the generator writes; only the workers read and join the group.
    const byRole = Object.values(resources('AWS::IAM::Role')).map((r) => JSON.stringify(r.Properties));
    expect(byRole.filter((r) => r.includes('kafka-cluster:WriteData'))).toHaveLength(1);
    expect(byRole.filter((r) => r.includes('kafka-cluster:ReadData'))).toHaveLength(1);
  });

  it('binds the Kafka roles to the flowforge service accounts through EKS Pod Identity', () => {
    const bindings = Object.values(resources('AWS::EKS::PodIdentityAssociation')).map(
      (a) => `${a.Properties.Namespace as string}/${a.Properties.ServiceAccount as string}`,
    );
    expect(bindings.sort()).toEqual(['flowforge/generator', 'flowforge/workers']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })],
      },
    });
  });

  it('alarms on every worker group’s consumer lag and on fan-out errors, both paging the alarm topic', () => {
    const topicRef = { Ref: Match.stringLikeRegexp('^Alarms') };
    for (const [group, topic] of Object.entries(WORKER_GROUPS)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Kafka',
        MetricName: 'SumOffsetLag',
        Dimensions: Match.arrayWith([
          { Name: 'Consumer Group', Value: group },
          { Name: 'Topic', Value: topic },
        ]),
        AlarmActions: [topicRef],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'FlowForge',
      MetricName: 'FanoutErrors',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('container_name = "fanout"'),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@flowforge.example',
    });
  });
});
