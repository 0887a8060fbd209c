package pervichka

import (
	"encoding/json"
	"fmt"
	"io"
)

// Companies is the configuration of the organisations the back office serves
// ({"companies": [{"name": …, "inn": …, "kpp": …}]}). A document where none
// of them is a party needs a clerk, and a known ИНН tells which side is ours.
type Companies struct {
	Companies []Party `json:"companies"`
}

// ReadCompanies parses a companies file.
func ReadCompanies(r io.Reader) ([]Party, error) {
	var c Companies
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("parse companies: %w", err)
	}
	for i, p := range c.Companies {
		if p.INN == "" {
			return nil, fmt.Errorf("parse companies: company %d (%q) has no inn", i+1, p.Name)
		}
	}
	return c.Companies, nil
}
