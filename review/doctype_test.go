package review

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// Every document type has a Russian name for the clerks' select and
// queue filter; without one a type (ТОРГ-12) could not be chosen or saved.
func TestDocTypeNames(t *testing.T) {
	t.Parallel()
	for _, typ := range pervichka.DocTypes {
		if docTypeName[typ] == "" {
			t.Errorf("%s has no Russian name", typ)
		}
	}
	if docTypeName[pervichka.DocTORG12] != "ТОРГ-12" {
		t.Errorf("torg12 is named %q", docTypeName[pervichka.DocTORG12])
	}
}
