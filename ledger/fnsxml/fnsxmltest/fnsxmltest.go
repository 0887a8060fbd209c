// Package fnsxmltest finds the official ФНС schema of the УПД and runs
// xmllint on files against it, for the tests of the ФНС XML export.
package fnsxmltest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// SchemaFile is the schema's file name in ../shared/fns beside the clone.
const SchemaFile = "ON_NSCHFDOPPR_1_997_01_05_03_05.xsd"

// Schema returns the path of the XSD: $PERVICHKA_FNS_XSD, else
// ../shared/fns/<SchemaFile> beside the repository. Without the schema
// or xmllint the test fails under CI=true (CI has both) and is skipped
// with the reason elsewhere.
func Schema(t testing.TB) string {
	t.Helper()
	path := os.Getenv("PERVICHKA_FNS_XSD")
	if path == "" {
		_, self, _, _ := runtime.Caller(0)
		// ledger/fnsxml/fnsxmltest → the repository's parent.
		path = filepath.Join(filepath.Dir(self), "..", "..", "..", "..", "shared", "fns", SchemaFile)
	}
	var missing error
	if _, err := os.Stat(path); err != nil {
		missing = fmt.Errorf("the ФНС schema %s: %w (set PERVICHKA_FNS_XSD)", path, err)
	} else if _, err := exec.LookPath("xmllint"); err != nil {
		missing = errors.New("xmllint is not installed (Debian: libxml2-utils; scripts/setup.sh --deps)")
	}
	if missing != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot validate ФНС XML: %v", missing)
		}
		t.Skipf("cannot validate ФНС XML: %v", missing)
	}
	return path
}

// Validate runs xmllint --noout --schema xsd on the files; the error is
// xmllint's failure, the output its messages.
func Validate(xsd string, files ...string) (string, error) {
	if len(files) == 0 {
		return "", errors.New("no files to validate")
	}
	out, err := exec.Command("xmllint", append([]string{"--noout", "--schema", xsd}, files...)...).CombinedOutput()
	return string(out), err
}
