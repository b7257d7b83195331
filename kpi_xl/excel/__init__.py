"""Getting the scoring functions into Excel: the UDF catalogue, the classic add-in setup,
the xlwings Lite bundle and the no-Python LAMBDA workbook."""
