import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tabwrite } from './table.js';

describe('tabwrite', () => {
  test('pads columns to the widest cell plus 3, with a minimum of 10', () => {
    const text = 'REPOSITORY\tTAG\tIMAGE ID\tSIZE\nbusybox\tlatest\taaaaaaaaaaaa\t4.26MB\n';
    assert.equal(
      tabwrite(text),
      'REPOSITORY   TAG       IMAGE ID       SIZE\nbusybox      latest    aaaaaaaaaaaa   4.26MB\n',
    );
  });

  test('the text after the last tab is not padded', () => {
    assert.equal(tabwrite('a\tb\nc\td'), 'a         b\nc         d');
  });

  test('a line without a cell in a column ends that column block', () => {
    const text = 'x\tlonger-than-ten-cells\tz\nnote\np\tq\tr\n';
    assert.equal(tabwrite(text), 'x         longer-than-ten-cells   z\nnote\np         q         r\n');
  });

  test('empty cells still take the column width', () => {
    assert.equal(tabwrite('a\t\tc\n'), 'a                   c\n');
  });

  test('widths count characters, not UTF-16 units', () => {
    assert.equal(tabwrite('é…\tx\nab\ty\n'), 'é…        x\nab        y\n');
  });

  test('custom settings: docker version uses min width 20 and padding 1', () => {
    assert.equal(tabwrite(' Version:\t1.0\n', { minWidth: 20, padding: 1 }), ' Version:           1.0\n');
  });
});
