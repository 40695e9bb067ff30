import { cellOf, csvRows, sheetDataOf, sheetNameOf } from '../../console/src/xlsx-workbook';
import { xlsxNameOf } from '../../console/src/download-name';

/* The pure parts of the Excel downloads (console/src/xlsx-workbook.ts, xlsx-export.ts); the browser test is excel-export.test.ts. */

test('the CSV is read as RFC 4180 says: quoted commas, quotes and line breaks stay in their cell; the byte-order mark goes', () => {
  const text = '\uFEFFid,title,address\r\nC1,"\'=HYPERLINK(""https://example.org"",""点这里"")","西陵区, 2 栋\n3 单元"\r\nC2,普通,\r\n';
  expect(csvRows(text)).toEqual([
    ['id', 'title', 'address'],
    ['C1', '\'=HYPERLINK("https://example.org","点这里")', '西陵区, 2 栋\n3 单元'],
    ['C2', '普通', ''],
  ]);
});

test('a CSV that does not parse is refused, not guessed at', () => {
  expect(() => csvRows('id,title\r\nC1,"never closed\r\n')).toThrow(/CSV row/);
});

test('counts and rates become numbers; phone numbers, IDs and codes with a leading zero stay text', () => {
  expect(cellOf('42')).toEqual({ type: Number, value: 42 });
  expect(cellOf('-3')).toEqual({ type: Number, value: -3 });
  expect(cellOf('85.5')).toEqual({ type: Number, value: 85.5 });
  expect(cellOf('0')).toEqual({ type: Number, value: 0 });
  for (const text of ['13800138000', '007', '0717-6221234', '1e5', '2026-03-09T09:00:00+08:00', "'=1+1", '=1+1', ' 42']) {
    expect(cellOf(text)).toEqual({ type: String, value: text });
  }
  expect(cellOf('')).toBeNull();
});

test('the header row is text in bold, even when a column is named like a number', () => {
  const [header, row] = sheetDataOf([['key', '2026'], ['xiling', '3']]);
  expect(header).toEqual([
    { type: String, value: 'key', fontWeight: 'bold' },
    { type: String, value: '2026', fontWeight: 'bold' },
  ]);
  expect(row).toEqual([{ type: String, value: 'xiling' }, { type: Number, value: 3 }]);
});

test('sheet and file names as Excel takes them', () => {
  expect(sheetNameOf('综合统计')).toBe('综合统计');
  expect(sheetNameOf('a/b:c*d?[e]')).toBe('a b c d  e');
  expect(sheetNameOf('x'.repeat(40))).toHaveLength(31);
  expect(xlsxNameOf('cases-202603090900.csv')).toBe('cases-202603090900.xlsx');
  expect(xlsxNameOf('statistics-2011-03-2011-03-district.csv')).toBe('statistics-2011-03-2011-03-district.xlsx');
});
