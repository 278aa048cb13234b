import { assertSomeRowCallable } from '../../backend/src/domain/imports/csv-callable-rows';
import { inspectCsvSample } from '../../backend/src/domain/imports/csv-sniff';
import { cleanHeader, planColumns } from '../../backend/src/domain/imports/column-mapping';
import { AppError } from '../../backend/src/platform/app-error';

// The request-time read of a file seen whole: taken when one row has a number that could be
// called (from phone, else mobile), refused with the rows' reasons when none has, or when the
// file is not valid CSV.
function check(text: string): AppError | null {
  const file = Buffer.from(text);
  const shape = inspectCsvSample(file, true);
  try {
    assertSomeRowCallable(file, shape, planColumns(cleanHeader(shape.header)), 'US');
    return null;
  } catch (err) {
    return err as AppError;
  }
}

describe('assertSomeRowCallable', () => {
  it('takes a file with one callable row among bad ones, from the phone or the mobile column', () => {
    expect(check('phone,name\nabc,A\n2025550123,B\n')).toBeNull();
    expect(check('phone,mobile\nabc,(202) 555-0123\n')).toBeNull();
    expect(check('tel;name\n\n;;\n+44 20 7946 0958;C\n')).toBeNull();
  });

  it('refuses a file none of whose rows has a callable number, naming the first rows and why', () => {
    const err = check('phone,name\nabc,A\n,B\n,,\n555,C\n');
    expect(err).toMatchObject({ code: 'IMPORT_NO_CALLABLE_ROWS', status: 422 });
    expect(err!.message).toMatch(/^None of the file's 3 rows has a phone number that can be called \(row 2: .+\); nothing was imported\.$/);
    expect((err!.details as { examples: Array<{ row: number }> }).examples.map((e) => e.row)).toEqual([2, 3, 5]);
  });

  it('refuses a file whose rows under the header are all blank', () => {
    expect(check('phone,name\n,\n ,\n')).toMatchObject({ code: 'IMPORT_NO_ROWS', status: 400 });
  });

  it('refuses a file csv-parse cannot read to its end', () => {
    expect(check('phone,name\n2025550123,"never closed\n')).toMatchObject({ code: 'IMPORT_BAD_CSV', status: 422 });
  });
});
