import { blocks, cell, details, heading, keyValueTable, mermaid, table } from '../../actions/lib/summary.js';

describe('summary markdown', () => {
  it('renders a table and escapes pipes and line breaks in cells', () => {
    expect(table(['Action', 'Reason'], [['Add', 'a|b\nc'], ['Modify', undefined]])).toBe(
      '| Action | Reason |\n| --- | --- |\n| Add | a\\|b<br>c |\n| Modify |   |',
    );
  });

  it('renders key/value tables with bold names', () => {
    expect(keyValueTable({ Stack: 'app', Changed: false }, ['Name', 'Value'])).toBe(
      '| Name | Value |\n| --- | --- |\n| **Stack** | app |\n| **Changed** | false |',
    );
  });

  it('joins blocks and leaves out empty ones', () => {
    expect(blocks(heading('Deploy'), undefined, false, '', mermaid(' graph TD\n a-->b '), details('More', 'x'))).toBe(
      '## Deploy\n\n```mermaid\ngraph TD\n a-->b\n```\n\n<details><summary>More</summary>\n\nx\n\n</details>\n',
    );
    expect(cell(null)).toBe(' ');
  });
});
