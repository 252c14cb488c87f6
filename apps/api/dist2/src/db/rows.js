const jobRowMatchesModel = true;
void jobRowMatchesModel;
const scheduleRowMatchesModel = true;
void scheduleRowMatchesModel;
const bulkOperationRowMatchesModel = true;
void bulkOperationRowMatchesModel;
const attemptRowMatchesModel = true;
void attemptRowMatchesModel;
const logRowMatchesModel = true;
void logRowMatchesModel;
/** A JSON column's text as a value (`null` for SQL NULL). */
export const parseJson = (text) => text === null ? null : JSON.parse(text);
/** A value as a JSON column's text. */
export const jsonText = (value) => JSON.stringify(value ?? null);
//# sourceMappingURL=rows.js.map