package main

import (
	"os"
	"strings"
)

// rewriteStatuses sets the Status cell of each table row of a docs file to
// status(row); rows for which it returns "" are left alone. It reports
// whether the file changed.
func rewriteStatuses(path string, status func(DocRow) string) (bool, error) {
	rows, lines, err := readDocTable(path)
	if err != nil {
		return false, err
	}
	changed := false
	for _, r := range rows {
		s := status(r)
		if s == "" || s == r.Status {
			continue
		}
		cells := append([]string(nil), r.Cells...)
		cells[2] = s
		lines[r.Line-1] = "| " + strings.Join(cells, " | ") + " |"
		changed = true
	}
	if !changed {
		return false, nil
	}
	return true, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}
