import { describe, expect, it } from 'vitest';
import type { WorkflowIssue } from '@flowforge/edge/workflow';
import { describeIssues } from './messages.ts';

const issue = (code: WorkflowIssue['code'], message: string, field?: string): WorkflowIssue =>
  field === undefined ? { nodeId: 'n', code, message } : { nodeId: 'n', code, message, field };
const tooShort = (type: string, field: string) =>
  issue('INVALID_CONFIG', `${type}: Too small: expected string to have >=1 characters`, field);

describe('describeIssues: the engine’s issues as a trader reads them', () => {
  it('turns empty fields into one neutral next step each', () => {
    expect(
      describeIssues('data_source', { database: '', table: '' }, [
        tooShort('data_source', 'database'),
        tooShort('data_source', 'table'),
      ]).map((p) => [p.tone, p.message]),
    ).toEqual([['todo', 'Choose a table']]);
    expect(
      describeIssues('formula', { formulas: [{ name: '', expression: '[price]' }] }, [
        tooShort('formula', 'formulas[0].name'),
      ]).map((p) => p.message),
    ).toEqual(['Fill in the name of formula 1']);
    expect(
      describeIssues('filter', { conditions: [{ column: '', op: '=' }] }, [
        tooShort('filter', 'conditions[0].column'),
      ]).map((p) => p.message),
    ).toEqual(['Choose the column of condition 1']);
    // A condition just added has a column and no value yet: the engine's type error is not the user's fault.
    expect(
      describeIssues('filter', { conditions: [{ column: 'trade_id', op: '=' }] }, [
        issue(
          'TYPE_MISMATCH',
          'Value for "trade_id" (string): expected a string, got nothing',
          'conditions[0].value',
        ),
      ]).map((p) => [p.tone, p.message]),
    ).toEqual([['todo', 'Fill in the value of condition 1']]);
  });

  it('keeps real errors red, without engine prefixes or type jargon, errors before next steps', () => {
    const problems = describeIssues('filter', { conditions: [{ column: 'price', op: 'LIKE', value: 1 }] }, [
      issue('MISSING_INPUT', 'A filter node needs one input'),
      issue(
        'TYPE_MISMATCH',
        'LIKE does not apply to column "price" of type decimal(18,6)',
        'conditions[0].op',
      ),
    ]);
    expect(problems.map((p) => [p.tone, p.message])).toEqual([
      ['error', 'LIKE does not apply to column "price" of type number'],
      ['todo', 'Connect an input: drag from another node’s right-hand dot to this Filter'],
    ]);
  });

  it('asks for join keys as a next step: no pair yet, or a pair half chosen', () => {
    expect(
      describeIssues('join', { keys: [] }, [
        issue('INVALID_CONFIG', 'join: Choose the keys to join on', 'keys'),
      ]),
    ).toMatchObject([{ tone: 'todo', message: 'Choose the keys to join on' }]);
    const half = {
      keys: [
        { left: 'symbol', right: 'symbol' },
        { left: 'side', right: '' },
      ],
    };
    expect(
      describeIssues('join', half, [
        issue('INVALID_CONFIG', 'join: Too small: expected string to have >=1 characters', 'keys[1].right'),
      ]),
    ).toMatchObject([{ tone: 'todo', message: 'Choose the right column of key pair 2' }]);
  });

  it('says which Join input is missing and what a loop is', () => {
    expect(
      describeIssues('join', {}, [issue('MISSING_INPUT', 'Missing the "right" input', 'right')])[0]!.message,
    ).toBe('Connect a node to the right input (R)');
    expect(describeIssues('sort', {}, [issue('CYCLE', 'Node "n" is part of a cycle')])[0]).toMatchObject({
      tone: 'error',
      message: 'This node feeds itself through a loop: delete one connection of the loop',
    });
  });
});
