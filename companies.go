package pervichka

import (
	"encoding/json"
	"fmt"
	"io"
)

// Companies is the configuration of the organisations the back office serves:
//
//	{"companies": [{"name": …, "inn": …, "kpp": …,
//	  "bank": {"bank_name": …, "bik": …, "account": …, "corr_account": …}}]}
//
// A document where none of them is a party needs a clerk, and a known ИНН
// tells which side is ours. "bank" is our settlement account: the payer of
// the payment orders the ledger exports for invoices (optional; without it
// no payment order is made for that company).
type Companies struct {
	Companies []Company `json:"companies"`
}

// Company is one of our organisations.
type Company struct {
	Party
	Bank *Bank `json:"bank,omitempty"`
}

// ReadCompanies parses a companies file: the parties alone.
func ReadCompanies(r io.Reader) ([]Party, error) {
	cs, err := ReadCompanyList(r)
	if err != nil {
		return nil, err
	}
	out := make([]Party, len(cs))
	for i, c := range cs {
		out[i] = c.Party
	}
	return out, nil
}

// ReadCompanyList parses a companies file with each company's bank
// account. A bank account needs its БИК and account number; whether they
// pass the Bank of Russia's keys is checked by who pays from it.
func ReadCompanyList(r io.Reader) ([]Company, error) {
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
		if b := p.Bank; b != nil && (b.BIK == "" || b.Account == "") {
			return nil, fmt.Errorf("parse companies: company %d (%q): bank needs bik and account", i+1, p.Name)
		}
	}
	return c.Companies, nil
}
