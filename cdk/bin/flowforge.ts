import { App } from 'aws-cdk-lib';
import { DataPlaneStack } from '../lib/data-plane-stack.ts';

// `npm run synth -w cdk` / `npm run deploy -w cdk` (the deploy workflow); account and region from the AWS credentials.
const app = new App();
new DataPlaneStack(app, 'FlowForgeDataPlane', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' },
  alarmEmail: process.env.FLOWFORGE_ALARM_EMAIL,
});
