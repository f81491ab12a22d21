/**
 * One column of an uploaded CSV file (a binary item), read strictly: a file that cannot be read whole
 * stops the node before anything is paid for.
 */
import { findColumn } from '../csv/columns';
import { decodeCsvBytes } from '../csv/decode';
import { CsvUnclosedQuoteError, parseCsv } from '../csv/read';

export type CsvColumn =
	| {
			ok: true;
			values: string[];
			/** Non-ASCII characters may be wrong: the encoding was guessed. */ uncertainEncoding: boolean;
	  }
	| { ok: false; message: string; description?: string };

export function readCsvColumn(bytes: Uint8Array, wanted: string): CsvColumn {
	const decoded = decodeCsvBytes(bytes);
	let csv: ReturnType<typeof parseCsv>;
	try {
		csv = parseCsv(decoded.text, { strict: true });
	} catch (error) {
		if (!(error instanceof CsvUnclosedQuoteError))
			return { ok: false, message: (error as Error).message };
		// Read leniently, every row after the quote would be one field: their addresses silently lost.
		return {
			ok: false,
			message: error.message,
			description:
				'Close the quote or remove it, then run again (a quote inside a quoted field is written twice: ""). Nothing was sent to the provider.',
		};
	}
	const column = findColumn(csv.headers, wanted);
	if (column === undefined) {
		return {
			ok: false,
			message: `The CSV file has no column "${wanted}"`,
			description: `Set Email Column to one of the file's headers: ${csv.headers.slice(0, 15).join(', ') || 'the file has no header row'}.`,
		};
	}
	return {
		ok: true,
		values: csv.rows.map((row) => row[column]),
		uncertainEncoding: decoded.uncertain,
	};
}
