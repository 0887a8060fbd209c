package fields

// The confidences that decide a verdict, in one place.
//
// A key field goes to a clerk when its confidence is under
// DefaultMinConfidence (route), so every cap, factor and lift below decides,
// for some reading, whether the document is posted or looked at. Each says
// what it decides and what chose it. Most were chosen by hand when the rule
// that uses them was written and have not been varied since: the corpus
// measures the rules (docs/benchmarks.md), not these values one by one, and
// the mutation test of the gate (mutation_test.go) holds whatever they are
// to "no wrong key field approved". A value marked "chosen by hand; not
// measured" is one nobody has yet moved to see what changes.
//
// Commits named here are where the value first appeared (git log -S).
// Geometric tolerances (gaps in word heights) are not here: they decide
// what is read where, not how sure the reading is. The label weights of the
// totals and the title scores are (at the end): they become confidences.

// The gate.

// DefaultMinConfidence routes a key field to review when the extractor is
// less sure than this.
//
// Chosen by hand (c6e81c0). Measured since, not chosen by it: in the trust
// soak on 20 unseen seeds (docs/benchmarks.md, 640 files) values in
// [0.8, 0.9) were right 93.7 % of the time and in [0.7, 0.8) 85.0 %; the
// gate's evidence rule, not this threshold, keeps the silent errors out.
const DefaultMinConfidence = 0.80

// unconfirmedCap caps the confidence shown for a key field the gate found
// no evidence for: whatever its reading's confidence, it is not shown as
// sure (the review UI's sure threshold is 0.95). Unseen seed 8961 showed
// a VAT read 25 345,51 for 25 345,56 at 0.95 with no evidence; the
// unconfirmed reason held the document, but the value stood in the sure
// bucket of the reliability table. It decides no routing: the reason does.
const unconfirmedCap = 0.9

// confirmedConf is the confidence of a number or date that a second reading
// agreed with (rereadDateLine lifts to at most this) or that OCR read
// surely: what a document whose table OCR misread must show for them
// (route), and what a name agreed by a second printing is worth
// (nameAgreedConf).
//
// The rules it decides were measured with real OCR: the date-line re-read
// capped here (2286628: seed 1 scan auto_own 0.750 → 0.833, seed 7 scan
// silent 0.022 → 0) and letting confused rows pass when number and date
// reach it (dd942d0: seed 1 scan auto_own 0.833 → 0.889, seed 7 scans +2,
// silent 0). The value 0.9 itself was not varied.
const confirmedConf = 0.9

// Doubt: what a reading keeps when something speaks against it.
const (
	// checkFailedFactor multiplies the confidence of an ИНН, КПП, БИК or
	// account whose check digits (or form) fail, and of a date outside
	// 2000..today+30d: far under the gate whatever OCR said. Chosen by
	// hand (c6e81c0); not measured.
	checkFailedFactor = 0.3

	// disagreedCap caps a number, date, ИНН or КПП that a second reading,
	// or a second printing on the page, reads as another value: under the
	// gate on purpose, since either reading may be the wrong one; and both
	// sides' ИНН and КПП when each КПП fits the other side's ИНН
	// (checkCrossedSides). Chosen by hand (6243a6e, 5458722, 5d7174f); not
	// measured.
	disagreedCap = 0.5

	// assembledDateCap caps a date put together from a digit glued to the
	// next words («1» «7 марта»): a guess at where OCR split it. Chosen by
	// hand (5d7174f); not measured.
	assembledDateCap = 0.5

	// repairedRowCap caps a row whose figure the row's arithmetic chose
	// over a garbled reading, or whose digit was changed by a confusable
	// one (items, rows, confusion). The items' confidence and a total or
	// VAT taken from the rows alone inherit it; the routing of the
	// document is by the repaired reasons (route). Chosen by hand
	// (1bb0294); not measured.
	repairedRowCap = 0.7

	// rowsNoVATCap caps the confidence of «без НДС» read from the rows
	// alone (rowsWithoutVAT): the totals line that states it for the
	// document was not read. Chosen by hand; not measured.
	rowsNoVATCap = 0.9

	// guessedSideCap caps the ИНН of a side whose role was taken from the
	// reading order, not a label: sure digits on a guessed side are still
	// a guess. Chosen by hand (b99986a); not measured.
	guessedSideCap = 0.6

	// slashYearCap caps an OCR'd number like «772126» dated 2026, likely
	// «772/26» with the slash read as 1 or 7. Chosen by hand (a7e0bac);
	// not measured.
	slashYearCap = 0.7

	// A number on a title line that matched its keyword weakly (score
	// under weakTitleScore) is multiplied by weakTitleFactor. Chosen by
	// hand (c6e81c0); not measured.
	weakTitleScore  = 0.7
	weakTitleFactor = 0.9

	// innRepairedFactor multiplies an ИНН repaired to pass its check
	// digits (one OCR confusion, or one from our own ИНН);
	// innDroppedDigitFactor one read with a digit too many and repaired by
	// dropping it. Both are also marked repaired, which stops the
	// document. Chosen by hand (c6e81c0, 7f26a87); not measured.
	innRepairedFactor     = 0.75
	innDroppedDigitFactor = 0.7

	// ownNameMismatchFactor multiplies our ИНН read under a name that is
	// not ours: the ИНН may be the misread one (a side given the other
	// side's ИНН), so it leaves the sure range. Chosen by hand, like
	// kppNotINNFactor; not varied.
	ownNameMismatchFactor = 0.8

	// kppNotINNFactor multiplies a КПП whose region is not its ИНН's, or
	// that is not the КПП configured for our organisation of that ИНН:
	// legal for a branch, so only advisory. Chosen by hand (c6e81c0); not
	// measured.
	kppNotINNFactor = 0.8
)

// Second readings: what a re-read that agrees lifts a value to.
const (
	// A number or date whose second reading agrees is lifted to the mean
	// of both readings plus rereadAgreedBonus, at most rereadAgreedCap.
	// Chosen by hand (6243a6e, 90bb8fd); not measured.
	rereadAgreedBonus = 0.1
	rereadAgreedCap   = 0.97

	// An ИНН or КПП whose digit-only re-read agrees: the mean plus
	// idAgreedBonus, at most idAgreedCap. Chosen by hand (c6e81c0,
	// 5458722); not measured.
	idAgreedBonus = 0.2
	idAgreedCap   = 0.95

	// An invalid ИНН (a КПП without the КПП form) replaced by a valid
	// re-read keeps the re-read's confidence times innReplacedFactor
	// (kppReplacedFactor). Chosen by hand (c6e81c0, 5458722); not measured.
	innReplacedFactor = 0.95
	kppReplacedFactor = 0.9

	// A total that nothing confirms and whose re-read gives the same
	// amount: the mean plus totalAgreedBonus, at most totalAgreedCap.
	// Chosen by hand (c6e81c0); not measured.
	totalAgreedBonus = 0.15
	totalAgreedCap   = 0.9
)

// The total: candidates, cross-checks by Σ items and the amount in words.
const (
	// totalFromRowsAndWordsConf is a total no label printed, which Σ items
	// and the amount in words agree on. Chosen by hand (c6e81c0); not
	// measured.
	totalFromRowsAndWordsConf = 0.85

	// onlyRowsFactor multiplies the table's confidence for a total or a
	// VAT that only the rows carry: a row OCR dropped would go unnoticed,
	// so it stays under the gate. Chosen by hand (9b65d72, 25ae94f); not
	// measured.
	onlyRowsFactor = 0.6
	// singleRefReadingCap caps an OCR'd contract number printed once on
	// the page (checkRefPrinting): under the UI's sure threshold (0.95),
	// since unseen seed 9311 showed one wrong at 0.95 («113124» for
	// «113/24») among 14 at 0.95 and more.
	singleRefReadingCap = 0.9
	// vatFromRateCap is the confidence of a VAT computed from the total
	// at the rate its VAT line names, the figure itself unread
	// (vatFromRate): a proposal under DefaultMinConfidence, highlighted
	// for a clerk; chosen so, not measured.
	vatFromRateCap = 0.5

	// onlyWordsFactor multiplies the confidence of the amount in words
	// when it is the only total read. Chosen by hand (c6e81c0); not
	// measured.
	onlyWordsFactor = 0.6

	// A total candidate scores its label weight × (1 − totalScoreConfShare
	// + totalScoreConfShare × its reading's confidence), plus
	// totalRepeatBonus for each other candidate of the same amount and
	// totalAgreementBonus for each of Σ items and the words agreeing with
	// it: two agreements outweigh any label. Chosen by hand (c6e81c0); not
	// measured.
	totalScoreConfShare = 0.5
	totalRepeatBonus    = 0.05
	totalAgreementBonus = 0.6

	// A total under a label weaker than strongLabelWeight («Итого»,
	// «Всего:») may be a net subtotal: capped at weakLabelCap until a
	// cross-check lifts it. Chosen by hand (a7e0bac); not measured.
	strongLabelWeight = 0.85
	weakLabelCap      = 0.75

	// rivalLabelFactor multiplies a total when a label as strong as its
	// own prints another amount. Chosen by hand (c6e81c0); not measured.
	rivalLabelFactor = 0.7

	// A total Σ items contradicts is multiplied by itemsMismatchFactor, one
	// the amount in words contradicts by wordsMismatchFactor; one that both
	// confirm is lifted to agreedTwiceConf, one that one confirms to
	// agreedOnceConf. Chosen by hand (c6e81c0); not measured.
	itemsMismatchFactor = 0.5
	wordsMismatchFactor = 0.6
	agreedTwiceConf     = 0.97
	agreedOnceConf      = 0.9

	// itemsSumMismatchFactor multiplies the items' confidence when they do
	// not add up to the total. Chosen by hand (c6e81c0); not measured.
	itemsSumMismatchFactor = 0.5

	// The totals row re-read under the table (rereadTotalsRow): its
	// reading is capped at totalsRowRereadCap and stands as a candidate of
	// label weight totalsRowWeight. Chosen by hand (b99986a); not measured.
	totalsRowRereadCap = 0.85
	totalsRowWeight    = 0.9
)

// The VAT rate and amount.
const (
	// tableRateVotes is how many votes a rate printed in the items table
	// gets against one printed in the totals (one). Chosen by hand
	// (c6e81c0); not measured.
	tableRateVotes = 2

	// The rate's confidence: mixedRateConf when the rows print several
	// rates, singleRateConf when one rate is printed, disputedRateConf when
	// printed rates differ, inferredRateConf when none is printed and the
	// arithmetic picked it. Chosen by hand (c6e81c0); not measured.
	mixedRateConf    = 0.9
	singleRateConf   = 0.95
	disputedRateConf = 0.7
	inferredRateConf = 0.75

	// When the VAT does not fit the rate (or the VAT column's Σ), the VAT
	// is multiplied by vatMismatchFactor and the total by
	// totalOnVATMismatchFactor: either reading may be the misread one.
	// Chosen by hand (c6e81c0); not measured.
	vatMismatchFactor        = 0.5
	totalOnVATMismatchFactor = 0.7

	// vatArithmeticCap is the most the arithmetic lifts a VAT and its rate
	// to, and only as far as the total it was checked against is sure.
	// Chosen by hand (25ae94f); not measured.
	vatArithmeticCap = 0.95

	// noVATUnreadCap caps «без НДС» as the VAT when no total was read
	// anywhere (no totals line, no amount in words): with the table's foot
	// unread, a VAT figure printed there was not looked at. 9811's
	// realistic УПД 012 showed «без НДС» at 0.96 for a 10 % VAT of
	// 2 270,14, its rows and totals unread. Under the UI's sure threshold
	// (0.95); the value is not measured further.
	noVATUnreadCap = 0.6
)

// arithmeticRates are the rates tried, in this order, when the arithmetic
// has to tell the rate (none printed) or tie a re-read VAT to a re-read
// total: the rates of the Tax Code (art. 164) in use, highest first.
var arithmeticRates = [...]int{22, 20, 10, 7, 5}

// Reading: what a value is worth as it is read, before any check.
const (
	// lookalikeFactor multiplies a figure read with letters that look like
	// digits («O» for 0, «З» for 3) or with separators OCR misread
	// («310.000,00», «7 700 00»): amounts, БИК, accounts. Chosen by hand (c6e81c0, 72746ac); not
	// measured.
	lookalikeFactor = 0.85

	// bareBIKFactor multiplies a nine-digit figure with no «БИК» label,
	// taken as the БИК because an account key passes with it. Chosen by
	// hand (5d7174f); not measured.
	bareBIKFactor = 0.9

	// accountRepairedFactor multiplies an account repaired to pass its key
	// with the БИК (one digit lost in a cell border); also marked
	// repaired, which stops the document. The rule was measured on the
	// real photos of ../shared/real-dev (72746ac: bank details right on
	// 0/6 → 4/6); the value was not.
	accountRepairedFactor = 0.75

	// rivalBankCap caps the bank block's fields when the page holds a
	// second whole bank block (another БИК passing the key with an
	// account) and no requisites column told which is the supplier's:
	// which block is whose is then a guess, whatever the keys say. Under
	// the sure threshold so that a clerk sees it; the bank does not hold
	// a document. Chosen by hand (this session); on unseen seed 9521 it
	// turned the one bank value shown as sure and wrong into an unsure one.
	rivalBankCap = 0.6

	// nameNoLabelFactor multiplies a name taken, for want of a label, from
	// the text before «ИНН» on its line; nameAbovePayeeFactor one taken
	// from the line above a payee label («Получатель»). Chosen by hand
	// (c6e81c0); not measured.
	nameNoLabelFactor = 0.7
	// nameNoINNFactor multiplies a name read at its side's label when no
	// ИНН of that side was read: nothing ties the label to requisites, so
	// the name starts under the sure threshold whatever its reading, and
	// only corroboration (a second printing) can raise it. Chosen by hand
	// like nameNoLabelFactor; not measured.
	nameNoINNFactor      = 0.7
	nameAbovePayeeFactor = 0.9

	// loneINNFactor multiplies the one unlabelled ИНН given to a side
	// because the other side is labelled. Chosen by hand (8c99cfd); not
	// measured.
	loneINNFactor = 0.95

	// An ИНН printed more than once for a side gains innVoteBonus for each
	// further printing; one whose side also prints a different valid ИНН is
	// multiplied by rivalINNFactor; one read with look-alike letters by
	// lookalikeINNFactor. Chosen by hand (c6e81c0); not measured.
	innVoteBonus       = 0.1
	rivalINNFactor     = 0.7
	lookalikeINNFactor = 0.9

	// dateUnderTitleFactor multiplies a date found on the lines under the
	// title rather than on it. Chosen by hand (c6e81c0); not measured.
	dateUnderTitleFactor = 0.95

	// Dates OCR broke and the reader mended stay under the gate until a
	// second reading confirms them: a day whose quotes were read as digits
	// (repairedDayCap, 75a8bcb), words joined back into a month, day or
	// year (joinedDateCap, 124df38), a year with «г» glued on and misread
	// (gluedYearCap, 9985d85). Chosen by hand; not measured.
	repairedDayCap = 0.75
	joinedDateCap  = 0.7
	gluedYearCap   = 0.75

	// monthWordFloor is the least a month name that parsed counts for in a
	// date's confidence: one of twelve words far apart in spelling. Chosen
	// by hand (f0e0f37); not measured.
	monthWordFloor = 0.9
)

// Label weights of the total and VAT candidates (findTotals). A candidate
// scores its label's weight (see totalScoreConfShare); a total under a
// label weaker than strongLabelWeight is capped at weakLabelCap until Σ
// items or the amount in words confirms it, so the order of these weights
// decides which printed amount is taken and whether it may post alone. The
// full labels of the form's own totals row weigh 1. Chosen by hand with
// the first extractor (c6e81c0) from how unambiguous each label is on the
// forms; not varied since — the corpus and the mutation test hold the
// totals built on them (docs/benchmarks.md).
const (
	// «Сумма к оплате»: a bill's payable sum, rarely a subtotal.
	payableLabelWeight = 0.95
	// «Итого … в том числе НДС»: the amount before «НДС» on one line.
	totalBeforeVATWeight = 0.95
	// «Итого с НДС», «Всего включая НДС»: names the gross amount itself.
	totalWithVATWeight = 0.97
	// «Всего оказано услуг … на сумму», «Всего наименований …, на сумму».
	onTheSumWeight = 0.9
	// «Цена договора составляет …»: a contract's price clause.
	contractPriceWeight = 0.85
	// A bare «Итого» with no «НДС» on the line: often a net subtotal, under
	// strongLabelWeight on purpose.
	bareTotalWeight = 0.8
	// «Всего:» alone under the table: weaker still.
	bareAllWeight = 0.7
	// «Сумма: … RUB» in a bill's payment block: the amount to pay, as
	// weak as a bare «Всего:»; it stands when the rows or the words
	// agree with it.
	paymentSumWeight = 0.7

	// The VAT: on a «В том числе НДС» line, and in a contract's price
	// clause.
	vatLabelWeight         = 0.9
	contractVATLabelWeight = 0.85
	// The VAT restated in a bill's payment purpose above its table
	// («Назначение платежа: … в том числе НДС 4 445,39 руб.»), and the
	// figure after a «в том числе» whose «НДС» OCR lost on the payable
	// line: each a restatement or a guess, under vatLabelWeight; two that
	// agree are the VAT printed twice.
	paymentPurposeVATWeight = 0.8
	includedVATWeight       = 0.75
	// The VAT of a УПД/счёт-фактура totals row with two amounts: taken as
	// the difference when an excise mark sits between them (OCR lost the
	// tax column), else the first — both guesses, under vatLabelWeight.
	vatFromDifferenceWeight = 0.7
	vatOfTwoAmountsWeight   = 0.6
)

// Title scores (matchTitleAt, classify): how sure a title line names the
// document type. The score becomes the doc_type's confidence, so those
// under DefaultMinConfidence send the document to a clerk unless the
// form's markers lift them. Chosen by hand with the first classifier
// (c6e81c0) by how unambiguous each title is; not varied since. The
// classification accuracy they give is in docs/benchmarks.md (doc_type
// per variant) and the mutation test holds the gate over them.
const (
	// The full titles: «Универсальный передаточный документ»,
	// «Счёт на оплату», «Товарная накладная», «Акт выполненных работ /
	// оказанных услуг / сдачи-приёмки», «Счёт-фактура №».
	titleUPDScore        = 0.9
	titleFullScore       = 0.85
	titleVATInvoiceScore = 0.8
	// «Счёт-договор», «Счёт-оферта».
	titleInvoiceContractScore = 0.8
	// «Счёт №» and «Акт №» alone: the word and a number sign.
	titleInvoiceSignScore = 0.75
	titleActSignScore     = 0.7
	// «Договор» (+ titleContractSignBonus with a number sign near).
	titleContractScore     = 0.7
	titleContractSignBonus = 0.1
	// titleFormLineScore is a счёт-фактура form's number line found by
	// its line mark «(1)» with the title itself unread (formNumberLine):
	// under the routing threshold alone, so that only the form's status
	// box and transfer section (a УПД, updMarkedScore) or its line marks
	// (vatInvoiceMarkerBonus) lift it; chosen so, not measured.
	titleFormLineScore = 0.6

	// titleBigBonus is added when the title's letters are taller than
	// titleBigHeight body-text units: titles are printed large.
	titleBigHeight = 1.15
	titleBigBonus  = 0.1

	// A title's score is multiplied by titleOCRFloor + (1 − titleOCRFloor)
	// × the OCR confidence of its first words.
	titleOCRFloor = 0.6

	// A later title replaces the first in reading order only when it
	// scores titleOvertakeMargin more.
	titleOvertakeMargin = 0.15

	// The form's own markers: a УПД with its status box or transfer section
	// is at least updMarkedScore, updMarkedTwiceScore with two markers or
	// the (2а)/(6б) line numbers; a счёт-фактура's line numbers add
	// vatInvoiceMarkerBonus, a contract's «реквизиты сторон» as much,
	// ТОРГ-12's form code and any invoice or act markerBonus.
	updMarkedScore        = 0.8
	updMarkedTwiceScore   = 0.95
	vatInvoiceMarkerBonus = 0.15
	contractMarkerBonus   = 0.15
	markerBonus           = 0.1

	// unprovenVATInvoiceCap caps an OCR'd счёт-фактура whose form foot was
	// never read: it may be a УПД, and the doc type is a key field — under
	// DefaultMinConfidence on purpose.
	unprovenVATInvoiceCap = 0.7

	// A second, different title scoring over rivalTitleScore in the first
	// lines multiplies the verdict by rivalTitleFactor.
	rivalTitleScore  = 0.75
	rivalTitleFactor = 0.85
)
