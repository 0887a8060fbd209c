// Package corpus generates a benchmark corpus of Russian primary documents —
// счета на оплату, счета-фактуры, УПД, акты and договоры — with exact ground
// truth. Data are random but valid (check digits, account keys, VAT rates
// legal at the document's date, sums to the kopeck); each document is laid
// out by one of several visual layouts as a sheet.Document and rendered as a
// born-digital PDF, a 300-dpi scan and phone photos (corpus/render,
// corpus/degrade). Everything derives from one seed, so a corpus is
// reproducible byte for byte.
package corpus
