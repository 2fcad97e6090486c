import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** The Kubernetes namespace of k8s/overlays/prod; pod identities are bound to its service accounts. */
export const NAMESPACE = 'flowforge';
/** Consumer groups of the workers (`<KAFKA_GROUP_PREFIX>-<role>` in dataplane/src/workers) and the topic each reads. */
export const WORKER_GROUPS = {
  'flowforge-trades': 'raw.trades',
  'flowforge-quotes': 'raw.quotes',
  'flowforge-vwap': 'raw.trades',
} as const;
export const TOPICS = ['raw.trades', 'raw.quotes', 'raw.orders'] as const;
/** Keys of the runtime secret; the deploy workflow copies them into the Kubernetes Secret `flowforge-secrets`. */
export const RUNTIME_SECRET_KEYS = [
  'KAFKA_BROKERS',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_PASSWORD',
  'MATERIALIZE_URL',
  'REDIS_URL',
  'DATABASE_URL',
  'EMBED_SIGNING_SECRET',
] as const;

export interface DataPlaneStackProps extends StackProps {
  /** Where alarms go (an on-call address); none = the topic exists with no subscription. */
  alarmEmail?: string;
  /** Consumer lag (messages) above which the workers are paged. */
  maxConsumerLag?: number;
}

/**
 * Production data plane: the k8s/overlays/prod manifests run on an EKS Auto Mode cluster in private subnets; Kafka is
 * MSK (IAM auth, TLS, encrypted with the stack's key); ClickHouse, Materialize, Neon and Upstash are managed endpoints
 * whose URLs and credentials live in one Secrets Manager secret. Only the pods that need Kafka get an IAM role, scoped
 * to this cluster's topics and group.
 */
export class DataPlaneStack extends Stack {
  constructor(scope: Construct, id: string, props: DataPlaneStackProps = {}) {
    super(scope, id, props);

    const key = new kms.Key(this, 'DataKey', {
      description: 'FlowForge data plane: MSK volumes, EKS secrets, the runtime secret, logs and alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs and SNS (alarms) encrypt with the key through their service principals.
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));
    key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: key }),
      ),
    });

    const cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_35,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      // Auto Mode runs the nodes, the pod identity agent and the ALB controller the prod Ingress uses.
      defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
      secretsEncryptionKey: key,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
      ],
    });

    // Kafka: reachable only from the cluster's security group, over TLS with IAM authentication.
    const kafkaSg = new ec2.SecurityGroup(this, 'KafkaSg', {
      vpc,
      description: 'MSK brokers: IAM/TLS port from the EKS cluster only',
      allowAllOutbound: false,
    });
    kafkaSg.addIngressRule(cluster.clusterSecurityGroup, ec2.Port.tcp(9098), 'Kafka IAM/TLS from EKS pods');
    const kafkaLogs = new logs.LogGroup(this, 'KafkaLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
    });
    const kafka = new msk.CfnCluster(this, 'Kafka', {
      clusterName: 'flowforge',
      kafkaVersion: '3.8.x',
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: 'kafka.m7g.large',
        clientSubnets: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
        securityGroups: [kafkaSg.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: 200 } },
        connectivityInfo: { publicAccess: { type: 'DISABLED' } },
      },
      encryptionInfo: {
        encryptionAtRest: { dataVolumeKmsKeyId: key.keyArn },
        encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
      },
      clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: false } },
      // Consumer lag per group and topic comes with this level.
      enhancedMonitoring: 'PER_TOPIC_PER_BROKER',
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: kafkaLogs.logGroupName } } },
    });

    const runtimeSecret = new secretsmanager.Secret(this, 'RuntimeSecret', {
      secretName: 'flowforge/dataplane',
      description: `Data plane endpoints and credentials, keys: ${RUNTIME_SECRET_KEYS.join(', ')}. ClickHouse is ClickHouse Cloud (see cdk/README.md).`,
      encryptionKey: key,
    });

    // Least privilege per workload: the generator writes the raw topics, the workers read them in their group.
    const kafkaArn = (type: 'topic' | 'group', name: string) =>
      Stack.of(this).formatArn({
        service: 'kafka',
        resource: type,
        resourceName: `flowforge/*/${name}`,
      });
    this.podRole('generator', cluster, [
      new iam.PolicyStatement({
        actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
        resources: [kafka.attrArn],
      }),
      new iam.PolicyStatement({
        actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData'],
        resources: TOPICS.map((t) => kafkaArn('topic', t)),
      }),
    ]);
    this.podRole('workers', cluster, [
      new iam.PolicyStatement({
        actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
        resources: [kafka.attrArn],
      }),
      new iam.PolicyStatement({
        // The workers create missing topics at start (ensureTopics), like the generator.
        actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:ReadData'],
        resources: TOPICS.map((t) => kafkaArn('topic', t)),
      }),
      new iam.PolicyStatement({
        actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
        resources: Object.keys(WORKER_GROUPS).map((g) => kafkaArn('group', g)),
      }),
    ]);

    // Alarms → one encrypted topic.
    const alarms = new sns.Topic(this, 'Alarms', { masterKey: key });
    if (props.alarmEmail) {
      new sns.Subscription(this, 'OnCall', {
        topic: alarms,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
    }
    const page = new cloudwatchActions.SnsAction(alarms);

    for (const [group, topic] of Object.entries(WORKER_GROUPS)) {
      new cloudwatch.Metric({
        namespace: 'AWS/Kafka',
        metricName: 'SumOffsetLag',
        dimensionsMap: { 'Cluster Name': 'flowforge', 'Consumer Group': group, Topic: topic },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      })
        .createAlarm(this, `LagAlarm-${group}`, {
          alarmDescription: `Workers group ${group} falls behind ${topic}: dashboards go stale`,
          threshold: props.maxConsumerLag ?? 10_000,
          evaluationPeriods: 5,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        })
        .addAlarmAction(page);
    }

    // Container logs of the namespace (EKS Auto Mode ships them here); the fan-out logs one JSON line per error.
    const appLogs = new logs.LogGroup(this, 'AppLogs', {
      logGroupName: `/flowforge/${NAMESPACE}`,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
    });
    const fanoutErrors = new logs.MetricFilter(this, 'FanoutErrors', {
      logGroup: appLogs,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.kubernetes.container_name', '=', 'fanout'),
        logs.FilterPattern.stringValue('$.level', '=', 'error'),
      ),
      metricNamespace: 'FlowForge',
      metricName: 'FanoutErrors',
      metricValue: '1',
      defaultValue: 0,
    });
    fanoutErrors
      .metric({ statistic: 'Sum', period: Duration.minutes(5) })
      .createAlarm(this, 'FanoutErrorsAlarm', {
        alarmDescription: 'Fan-out errors: dashboards stop receiving invalidations',
        threshold: 10,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(page);

    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'KafkaClusterArn', { value: kafka.attrArn });
    new CfnOutput(this, 'RuntimeSecretName', { value: runtimeSecret.secretName });
  }

  /** An IAM role that only pods of one service account in the namespace can assume (EKS Pod Identity). */
  private podRole(serviceAccount: string, cluster: eks.Cluster, statements: iam.PolicyStatement[]): iam.Role {
    const role = new iam.Role(this, `${serviceAccount}PodRole`, {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      description: `FlowForge ${serviceAccount} pods`,
      inlinePolicies: { kafka: new iam.PolicyDocument({ statements }) },
    });
    new CfnPodIdentityAssociation(this, `${serviceAccount}PodIdentity`, {
      clusterName: cluster.clusterName,
      namespace: NAMESPACE,
      serviceAccount,
      roleArn: role.roleArn,
    });
    return role;
  }
}
