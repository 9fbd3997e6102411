import { destinationOverlap } from '../../../../../src/core/sources/postfix/rules/destinationOverlap';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const main = readFixture('postfix/rules/destination-overlap/main.cf');
const mydestination = (list: string) => main.replace('mydestination = $myhostname, localhost, example.com, example.org\n', `mydestination = ${list}\n`);
const withoutCom = mydestination('$myhostname, localhost, example.org');
const withoutBoth = mydestination('$myhostname, localhost');

describe('postfix/destination-overlap', () => {
  testPostfixRule(destinationOverlap, {
    valid: [
      { name: 'both fixes applied: the result is clean', code: withoutBoth },
      'mydestination = $myhostname, localhost\nvirtual_mailbox_domains = example.net\n',
      { name: 'a lookup table in the virtual list', code: 'mydestination = example.com\nvirtual_mailbox_domains = hash:/etc/postfix/example.com\n' },
      { name: 'a lookup table in mydestination', code: 'mydestination = hash:/etc/postfix/local_domains\nvirtual_alias_domains = example.com\n' },
      'mydestination = example.com\nvirtual_alias_maps = hash:/etc/postfix/virtual\n',
      'mydestination = example.com\nrelay_domains = example.com\n',
      // myhostname and mydomain come from the machine Postfix runs on: unknown here.
      { name: 'names whose value main.cf does not give', code: 'virtual_mailbox_domains = vm.localdomain, localhost.localdomain\n' },
      'mydestination =\nvirtual_mailbox_domains = example.com\n',
    ],
    invalid: [
      {
        name: 'each domain of a virtual list that mydestination also names, the other place related; the fix removes it from mydestination with its separator',
        code: main,
        findings: [
          {
            at: '5:25',
            text: '$mydomain',
            related: [{ file: 'main.cf', text: 'example.com' }],
            severity: 'error',
            message: '"example.com" is in both mydestination and virtual_alias_domains: Postfix delivers it locally ("User unknown").',
            details: /in virtual_alias_domains \(as "\$mydomain"\)/,
            fixes: ['Remove "example.com" from mydestination'],
            output: withoutCom,
          },
          {
            at: '6:40',
            text: 'example.org',
            related: [{ file: 'main.cf', text: 'example.org' }],
            message: /^"example\.org" is in both mydestination and virtual_mailbox_domains:/,
            output: mydestination('$myhostname, localhost, example.com'),
          },
        ],
      },
      { name: 'after the first fix, the second', code: withoutCom, findings: [{ output: withoutBoth }] },
      {
        name: 'a $name in mydestination expanded, without a fix',
        code: 'myhostname = mail.example.com\nmydestination = $myhostname, localhost\nvirtual_mailbox_domains = MAIL.example.com.\n',
        findings: [
          {
            text: 'MAIL.example.com.',
            message: /^"mail\.example\.com" is in both mydestination and virtual_mailbox_domains:/,
            details: /mydestination \(as "\$myhostname"\)/,
            related: [{ file: 'main.cf', text: '$myhostname' }],
            fixes: [],
          },
        ],
      },
      {
        name: 'mydestination left at its default ($myhostname, localhost.$mydomain, localhost): nothing to point at or fix',
        code: 'myhostname = mail.example.com\nmydomain = example.com\nvirtual_alias_domains = localhost.example.com\n',
        findings: [{ text: 'localhost.example.com', related: [], fixes: [] }],
      },
    ],
  });
});
