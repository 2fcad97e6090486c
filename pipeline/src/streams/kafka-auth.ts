import { readFileSync } from 'node:fs';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { z } from 'zod';

/**
 * How the Kafka clients (generator, workers, fan-out probes) authenticate, from the environment:
 * - `KAFKA_SASL_MECHANISM` unset: no SASL (the local stack, Redpanda in k3d).
 * - `plain` / `scram-sha-256` / `scram-sha-512`: `KAFKA_SASL_USERNAME` + `KAFKA_SASL_PASSWORD`.
 * - `aws-msk-iam`: MSK IAM through SASL/OAUTHBEARER; each token is signed with the default AWS credential chain (EKS Pod
 *   Identity in production, see cdk/) for `AWS_REGION`, or the region in the broker's MSK host name.
 * `KAFKA_TLS` = true | false (default: true with any SASL mechanism, false without); `KAFKA_TLS_CA_FILE` = a PEM bundle
 * to trust instead of the system CAs.
 */
const envSchema = z.object({
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512', 'aws-msk-iam']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_TLS: z.enum(['true', 'false']).optional(),
  KAFKA_TLS_CA_FILE: z.string().optional(),
  AWS_REGION: z.string().optional(),
});

export interface KafkaAuth {
  ssl: KafkaConfig['ssl'];
  sasl?: SASLOptions;
}

/** Signs one MSK IAM token; replaced in tests so no AWS call is made. */
export type MskTokenSigner = (region: string) => Promise<{ token: string; expiryTime: number }>;

const signWithDefaultCredentials: MskTokenSigner = (region) => generateAuthToken({ region });

/** MSK broker host names end in `.kafka.<region>.amazonaws.com` (or `.kafka-serverless.<region>…`). */
const MSK_HOST = /\.kafka(?:-serverless)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?::\d+)?$/;

export function kafkaAuth(
  env: Record<string, string | undefined>,
  brokers: readonly string[],
  sign: MskTokenSigner = signWithDefaultCredentials,
): KafkaAuth {
  const parsed = envSchema.safeParse(pickDefined(env));
  if (!parsed.success)
    throw new Error(
      `Kafka auth settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = parsed.data;
  const tls = e.KAFKA_TLS === undefined ? e.KAFKA_SASL_MECHANISM !== undefined : e.KAFKA_TLS === 'true';
  const ssl = tls
    ? e.KAFKA_TLS_CA_FILE
      ? { ca: [readFileSync(e.KAFKA_TLS_CA_FILE, 'utf8')] }
      : true
    : false;
  const sasl = saslOf(e, brokers, tls, sign);
  return sasl ? { ssl, sasl } : { ssl };
}

function saslOf(
  e: z.infer<typeof envSchema>,
  brokers: readonly string[],
  tls: boolean,
  sign: MskTokenSigner,
): SASLOptions | undefined {
  const mechanism = e.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined) return undefined;
  if (mechanism === 'aws-msk-iam') {
    // MSK accepts IAM only on its TLS listener (port 9098): without TLS the token would travel in clear.
    if (!tls)
      throw new Error('KAFKA_SASL_MECHANISM=aws-msk-iam needs TLS (unset KAFKA_TLS or set it to true)');
    const region = e.AWS_REGION ?? brokers.map((b) => MSK_HOST.exec(b)?.[1]).find(Boolean);
    if (!region)
      throw new Error(
        'KAFKA_SASL_MECHANISM=aws-msk-iam needs AWS_REGION (the brokers are not MSK host names)',
      );
    return {
      mechanism: 'oauthbearer',
      // kafkajs asks again before each (re)authentication, so a fresh signature replaces an expiring one.
      oauthBearerProvider: async () => ({ value: (await sign(region)).token }),
    };
  }
  if (!e.KAFKA_SASL_USERNAME || e.KAFKA_SASL_PASSWORD === undefined)
    throw new Error(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  return { mechanism, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD };
}

const pickDefined = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.keys(envSchema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
