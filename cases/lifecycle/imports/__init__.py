"""Import of past activity from a spreadsheet: read, check, preview, write, undo.

- ``columns``: the two documented templates and how each cell is read;
- ``reader``: XLSX and CSV files to numbered rows;
- ``parser``: rows to a plan of objects, with a line-by-line error report in French;
- ``services``: the batch (preview, confirmation in one transaction, undo);
- ``template_files``: the downloadable templates.
"""
