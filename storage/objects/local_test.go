package objects

import (
	"testing"
)

func TestLocalStore(t *testing.T) {
	runStoreSuite(t, func(t *testing.T) Store {
		l, err := NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	})
}
