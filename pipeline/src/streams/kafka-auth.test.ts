import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SASLOptions } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkaAuth, type MskTokenSigner } from './kafka-auth.ts';

const LOCAL = ['127.0.0.1:9092'];
const MSK = [
  'b-1.flowforge.abc123.c2.kafka.eu-west-1.amazonaws.com:9098',
  'b-2.flowforge.abc123.c2.kafka.eu-west-1.amazonaws.com:9098',
];
const noSigning: MskTokenSigner = () => Promise.reject(new Error('no AWS call expected'));

/** The token kafkajs would send for an OAUTHBEARER mechanism. */
async function bearer(sasl: SASLOptions | undefined): Promise<string> {
  if (sasl?.mechanism !== 'oauthbearer') throw new Error(`expected oauthbearer, got ${sasl?.mechanism}`);
  return (await sasl.oauthBearerProvider()).value;
}

describe('kafkaAuth: environment → kafkajs ssl/sasl', () => {
  it('is plaintext without a mechanism (the local stack)', () => {
    expect(kafkaAuth({}, LOCAL, noSigning)).toEqual({ ssl: false });
    expect(kafkaAuth({ KAFKA_TLS: 'true' }, LOCAL, noSigning)).toEqual({ ssl: true });
  });

  it('maps SCRAM and PLAIN with credentials, over TLS unless told otherwise', () => {
    const creds = { KAFKA_SASL_USERNAME: 'workers', KAFKA_SASL_PASSWORD: 's3cret' };
    expect(kafkaAuth({ KAFKA_SASL_MECHANISM: 'scram-sha-512', ...creds }, LOCAL, noSigning)).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'workers', password: 's3cret' },
    });
    expect(kafkaAuth({ KAFKA_SASL_MECHANISM: 'scram-sha-256', ...creds }, LOCAL, noSigning).sasl).toEqual({
      mechanism: 'scram-sha-256',
      username: 'workers',
      password: 's3cret',
    });
    expect(
      kafkaAuth({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_TLS: 'false', ...creds }, LOCAL, noSigning),
    ).toEqual({
      ssl: false,
      sasl: { mechanism: 'plain', username: 'workers', password: 's3cret' },
    });
  });

  it('trusts a CA bundle from KAFKA_TLS_CA_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(kafkaAuth({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: file }, LOCAL, noSigning).ssl).toEqual({
      ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
    });
  });

  it('refuses incomplete or unknown settings with the variable names', () => {
    expect(() =>
      kafkaAuth({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' }, LOCAL),
    ).toThrow('KAFKA_SASL_MECHANISM=scram-sha-512 needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    expect(() => kafkaAuth({ KAFKA_SASL_MECHANISM: 'gssapi' }, LOCAL)).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => kafkaAuth({ KAFKA_TLS: 'yes' }, LOCAL)).toThrow(/KAFKA_TLS/);
  });

  it('signs an MSK IAM token per authentication, for the region of the MSK brokers', async () => {
    let n = 0;
    const sign = vi.fn<MskTokenSigner>(async () => ({
      token: `token-${++n}`,
      expiryTime: Date.now() + 900_000,
    }));
    const auth = kafkaAuth({ KAFKA_SASL_MECHANISM: 'aws-msk-iam' }, MSK, sign);
    expect(auth.ssl).toBe(true);
    expect(await bearer(auth.sasl)).toBe('token-1');
    // A re-authentication gets a fresh signature, not the first one again.
    expect(await bearer(auth.sasl)).toBe('token-2');
    expect(sign.mock.calls).toEqual([['eu-west-1'], ['eu-west-1']]);
    const pinned = kafkaAuth({ KAFKA_SASL_MECHANISM: 'aws-msk-iam', AWS_REGION: 'us-east-2' }, MSK, sign);
    await bearer(pinned.sasl);
    expect(sign).toHaveBeenLastCalledWith('us-east-2');
  });

  it('refuses MSK IAM without TLS or without a region', () => {
    expect(() =>
      kafkaAuth({ KAFKA_SASL_MECHANISM: 'aws-msk-iam', KAFKA_TLS: 'false' }, MSK, noSigning),
    ).toThrow('needs TLS');
    expect(() => kafkaAuth({ KAFKA_SASL_MECHANISM: 'aws-msk-iam' }, LOCAL, noSigning)).toThrow(
      'needs AWS_REGION',
    );
  });
});

describe('MSK IAM token from the default AWS credential chain', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is a SigV4-presigned kafka-cluster:Connect URL for the region, signed locally with the chain credentials', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAFLOWFORGETEST000',
      AWS_SECRET_ACCESS_KEY: 'flowforge/test/secret/key/not/a/real/one00',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const auth = kafkaAuth({ KAFKA_SASL_MECHANISM: 'aws-msk-iam' }, MSK);
    const url = new URL(Buffer.from(await bearer(auth.sasl), 'base64url').toString('utf8'));
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAFLOWFORGETEST000\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
