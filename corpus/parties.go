package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// legalForm is the organisational form of a party.
type legalForm int

const (
	formOOO legalForm = iota // общество с ограниченной ответственностью
	formAO                   // акционерное общество
	formPAO                  // публичное акционерное общество
	formIP                   // индивидуальный предприниматель
)

func (f legalForm) short() string {
	switch f {
	case formAO:
		return "АО"
	case formPAO:
		return "ПАО"
	case formIP:
		return "ИП"
	}
	return "ООО"
}

func (f legalForm) full() string {
	switch f {
	case formAO:
		return "Акционерное общество"
	case formPAO:
		return "Публичное акционерное общество"
	case formIP:
		return "Индивидуальный предприниматель"
	}
	return "Общество с ограниченной ответственностью"
}

// person is a director, accountant or entrepreneur, with the genitive forms a
// contract needs («в лице генерального директора Иванова Ивана Ивановича»).
type person struct {
	Last, First, Middle          string
	LastGen, FirstGen, MiddleGen string
}

// Full is «Иванов Иван Иванович».
func (p person) Full() string { return p.Last + " " + p.First + " " + p.Middle }

// FullGen is «Иванова Ивана Ивановича».
func (p person) FullGen() string { return p.LastGen + " " + p.FirstGen + " " + p.MiddleGen }

// Short is «Иванов И. И.».
func (p person) Short() string {
	return p.Last + " " + firstRune(p.First) + ". " + firstRune(p.Middle) + "."
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// region ties an ИНН region code to a city and its postal codes, so that an
// address agrees with the ИНН and КПП.
type region struct {
	Code   string // two digits, first of ИНН and КПП
	City   string // «г. Москва», «Московская обл., г. Химки»
	Short  string // city for «г. Москва» in contracts and stamps
	Postal string // first three digits of the postal code
}

var regions = []region{
	{"77", "г. Москва", "г. Москва", "1"},
	{"77", "г. Москва", "г. Москва", "1"},
	{"77", "г. Москва", "г. Москва", "1"},
	{"78", "г. Санкт-Петербург", "г. Санкт-Петербург", "19"},
	{"50", "Московская обл., г. Химки", "г. Химки", "1414"},
	{"50", "Московская обл., г. Подольск", "г. Подольск", "1421"},
	{"16", "Республика Татарстан, г. Казань", "г. Казань", "420"},
	{"66", "Свердловская обл., г. Екатеринбург", "г. Екатеринбург", "620"},
	{"54", "г. Новосибирск", "г. Новосибирск", "630"},
	{"52", "г. Нижний Новгород", "г. Нижний Новгород", "603"},
	{"23", "Краснодарский край, г. Краснодар", "г. Краснодар", "350"},
	{"63", "г. Самара", "г. Самара", "443"},
	{"74", "г. Челябинск", "г. Челябинск", "454"},
	{"61", "г. Ростов-на-Дону", "г. Ростов-на-Дону", "344"},
	{"59", "г. Пермь", "г. Пермь", "614"},
	{"36", "г. Воронеж", "г. Воронеж", "394"},
}

var streets = []string{
	"ул. Ленина", "ул. Садовая", "пр-т Мира", "ул. Профсоюзная", "ул. Лесная",
	"Ленинградский пр-т", "ул. Гагарина", "ул. Советская", "наб. Космонавтов",
	"ул. Промышленная", "ш. Энтузиастов", "ул. Новая", "пер. Строителей",
	"ул. Полевая", "ул. Заводская", "б-р Победы", "ул. Кирова", "ул. Пушкина",
	"ул. Нагорная", "Варшавское ш.", "ул. Дубининская", "пр-т Вернадского",
}

// address makes «115093, г. Москва, ул. Дубининская, д. 57, стр. 2, офис 305».
func address(r *rand.Rand, reg region) string {
	postal := reg.Postal
	for len(postal) < 6 {
		postal += string(rune('0' + r.IntN(10)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s, %s, д. %d", postal, reg.City, pick(r, streets), 1+r.IntN(150))
	switch r.IntN(4) {
	case 0:
		fmt.Fprintf(&b, ", стр. %d", 1+r.IntN(9))
	case 1:
		fmt.Fprintf(&b, ", корп. %d", 1+r.IntN(5))
	}
	switch r.IntN(3) {
	case 0:
		fmt.Fprintf(&b, ", офис %d", 1+r.IntN(900))
	case 1:
		fmt.Fprintf(&b, ", пом. %s", romanOrDigits(r))
	}
	return b.String()
}

func romanOrDigits(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return pick(r, []string{"I", "II", "III", "IV", "VII", "XII"})
	}
	return fmt.Sprint(1 + r.IntN(40))
}

// bankInfo is a bank of the fixed list; БИК values are those of Moscow
// head offices (public reference data).
type bankInfo struct {
	Name string
	BIK  string
	City string
}

var banks = []bankInfo{
	{`ПАО СБЕРБАНК`, "044525225", "г. Москва"},
	{`АО "АЛЬФА-БАНК"`, "044525593", "г. Москва"},
	{`АО "ТБанк"`, "044525974", "г. Москва"},
	{`Банк ВТБ (ПАО)`, "044525187", "г. Москва"},
	{`АО "Райффайзенбанк"`, "044525700", "г. Москва"},
	{`Банк ГПБ (АО)`, "044525823", "г. Москва"},
	{`ООО "Банк Точка"`, "044525104", "г. Москва"},
	{`ПАО "Промсвязьбанк"`, "044525555", "г. Москва"},
	{`ПАО "МТС-Банк"`, "044525232", "г. Москва"},
	{`Северо-Западный банк ПАО Сбербанк`, "044030653", "г. Санкт-Петербург"},
	{`Волго-Вятский банк ПАО Сбербанк`, "042202603", "г. Нижний Новгород"},
	{`Уральский банк ПАО Сбербанк`, "046577674", "г. Екатеринбург"},
	{`ФИЛИАЛ "НОВОСИБИРСКИЙ" АО "АЛЬФА-БАНК"`, "045004774", "г. Новосибирск"},
	{`ПАО "БАНК УРАЛСИБ"`, "048073601", "г. Уфа"},
	{`АО "КРЕДИТ ЕВРОПА БАНК (РОССИЯ)"`, "044525767", "г. Москва"},
}

// bankAccount is a party's account at a bank.
type bankAccount struct {
	Bank    bankInfo
	Account string // р/с, 20 digits
	Corr    string // к/с, 20 digits
}

// truth is the schema form of the account.
func (a bankAccount) truth() *pervichka.Bank {
	return &pervichka.Bank{
		BankName:    pervichka.Text(a.Bank.Name),
		BIK:         pervichka.Text(a.Bank.BIK),
		Account:     pervichka.Text(a.Account),
		CorrAccount: pervichka.Text(a.Corr),
	}
}

// corrAccount is the bank's correspondent account at the Bank of Russia:
// 30101 810 K 0000 0000 + last three digits of the БИК, K the control key.
func corrAccount(bik string) string {
	a := "30101810" + "0" + "00000000" + bik[6:]
	k, _ := ruvalid.AccountKeyDigit("0"+bik[4:6], a)
	return a[:8] + k + a[9:]
}

// settlementAccount is 40702 (organisation) or 40802 (ИП), currency 810, the
// control key, then a branch and a serial number.
func settlementAccount(r *rand.Rand, bik string, ip bool) string {
	prefix := "40702810"
	if ip {
		prefix = "40802810"
	}
	a := prefix + "0" + digitsN(r, 11)
	k, _ := ruvalid.AccountKeyDigit(bik[6:], a)
	return a[:8] + k + a[9:]
}

func newAccount(r *rand.Rand, ip bool) bankAccount {
	b := banks[r.IntN(len(banks))]
	return bankAccount{Bank: b, Account: settlementAccount(r, b.BIK, ip), Corr: corrAccount(b.BIK)}
}

// party is one organisation or entrepreneur with all of its requisites.
type party struct {
	Form     legalForm
	Core     string // «Ромашка» without form and quotes; for an ИП the full name
	INN      string
	KPP      string // empty for an ИП
	OGRN     string // 13 digits, or 15 for an ОГРНИП
	Region   region
	Address  string
	Account  bankAccount
	Head     person // director, or the entrepreneur himself
	HeadPost string // «Генеральный директор»
	Booker   person // chief accountant
	Phone    string
}

// IP reports whether the party is an individual entrepreneur.
func (p *party) IP() bool { return p.Form == formIP }

// ShortName is «ООО "Ромашка"» or «ИП Иванов Иван Иванович»; quote selects
// the quotes: '"' or '«'.
func (p *party) ShortName(quote rune) string {
	if p.IP() {
		return "ИП " + p.Core
	}
	return p.Form.short() + " " + quoted(p.Core, quote)
}

// FullName is «Общество с ограниченной ответственностью «Ромашка»».
func (p *party) FullName(quote rune) string {
	if p.IP() {
		return p.Form.full() + " " + p.Core
	}
	return p.Form.full() + " " + quoted(p.Core, quote)
}

// truth is the schema form of the party under the name as printed.
func (p *party) truth(printed string) pervichka.Party {
	return pervichka.Party{Name: pervichka.Text(printed), INN: pervichka.Text(p.INN), KPP: pervichka.Text(p.KPP)}
}

func quoted(s string, q rune) string {
	if q == '«' {
		return "«" + s + "»"
	}
	return `"` + s + `"`
}

// orgINN makes a 10-digit ИНН: region, tax office, serial, check digit.
func orgINN(r *rand.Rand, reg region) string {
	body := reg.Code + fmt.Sprintf("%02d", 1+r.IntN(51)) + digitsN(r, 5)
	c, _ := ruvalid.INNCheckDigits(body)
	return body + c
}

// personINN makes a 12-digit ИНН of an individual.
func personINN(r *rand.Rand, reg region) string {
	body := reg.Code + fmt.Sprintf("%02d", 1+r.IntN(51)) + digitsN(r, 6)
	c, _ := ruvalid.INNCheckDigits(body)
	return body + c
}

// orgKPP usually repeats the ИНН's tax office (first four digits); a branch
// or a move to another office gives a different one.
func orgKPP(r *rand.Rand, inn string) string {
	office := inn[:4]
	if r.IntN(10) == 0 {
		office = regions[r.IntN(len(regions))].Code + fmt.Sprintf("%02d", 1+r.IntN(51))
	}
	reason := "01"
	switch r.IntN(12) {
	case 0:
		reason = "43"
	case 1:
		reason = "45"
	case 2:
		reason = "02"
	}
	return office + reason + "001"
}

// orgOGRN: sign 1 or 5, year, region, serial, check digit.
func orgOGRN(r *rand.Rand, reg region) string {
	sign := "1"
	if r.IntN(3) == 0 {
		sign = "5"
	}
	body := sign + fmt.Sprintf("%02d", 2+r.IntN(23)) + reg.Code + digitsN(r, 7)
	c, _ := ruvalid.OGRNCheckDigit(body)
	return body + c
}

// ipOGRN is an ОГРНИП: 3, year, region, serial, check digit.
func ipOGRN(r *rand.Rand, reg region) string {
	body := "3" + fmt.Sprintf("%02d", 4+r.IntN(21)) + reg.Code + digitsN(r, 9)
	c, _ := ruvalid.OGRNCheckDigit(body)
	return body + c
}

func newOrg(r *rand.Rand) *party {
	reg := regions[r.IntN(len(regions))]
	form := formOOO
	switch n := r.IntN(10); {
	case n < 2:
		form = formAO
	case n == 2 && r.IntN(3) == 0:
		form = formPAO
	}
	p := &party{Form: form, Core: companyName(r), Region: reg}
	p.INN = orgINN(r, reg)
	p.KPP = orgKPP(r, p.INN)
	p.OGRN = orgOGRN(r, reg)
	p.Address = address(r, reg)
	p.Account = newAccount(r, false)
	p.Head = newPerson(r)
	p.HeadPost = pick(r, []string{"Генеральный директор", "Генеральный директор", "Директор", "Управляющий"})
	p.Booker = newPerson(r)
	p.Phone = phone(r)
	return p
}

func newIP(r *rand.Rand) *party {
	reg := regions[r.IntN(len(regions))]
	h := newPerson(r)
	p := &party{Form: formIP, Core: h.Full(), Region: reg, Head: h, HeadPost: "Индивидуальный предприниматель"}
	p.INN = personINN(r, reg)
	p.OGRN = ipOGRN(r, reg)
	p.Address = address(r, reg)
	p.Account = newAccount(r, true)
	p.Booker = h
	p.Phone = phone(r)
	return p
}

func phone(r *rand.Rand) string {
	return fmt.Sprintf("+7 (%03d) %03d-%02d-%02d", pick(r, []int{495, 499, 812, 343, 383, 831, 861, 846, 903, 916, 926, 985}), r.IntN(1000), r.IntN(100), r.IntN(100))
}

// ownCompanies are the organisations the back office serves. They are the
// same in every corpus (a fixed seed), as a real client's would be.
func ownCompanies() []*party {
	r := rand.New(rand.NewPCG(0x5EED0F, 0xC0A1))
	out := make([]*party, 0, 3)
	for len(out) < 3 {
		p := newOrg(r)
		if p.Form == formPAO {
			continue
		}
		p.KPP = p.INN[:4] + "01001" // our own КПП always follows the ИНН
		out = append(out, p)
	}
	return out
}

// companyJSON is one entry of companies.json.
type companyJSON struct {
	Name string `json:"name"`
	INN  string `json:"inn"`
	KPP  string `json:"kpp"`
}

var (
	nameFirst = []string{
		"Строй", "Техно", "Пром", "Агро", "Энерго", "Транс", "Инвест", "Торг", "Мед", "Софт",
		"Сервис", "Электро", "Лес", "Нефте", "Хим", "Металл", "Авто", "Газ", "Инфо", "Эко",
		"Гео", "Тепло", "Вод", "Кабель", "Бизнес", "Проф", "Прайм", "Вест", "Норд", "Сиб",
	}
	nameSecond = []string{
		"Комплект", "Снаб", "Монтаж", "Сервис", "Ресурс", "Маркет", "Проект", "Систем", "Логистик",
		"Трейд", "Групп", "Инжиниринг", "Холдинг", "Стандарт", "Альянс", "Контакт", "Лайн", "Центр",
		"Мастер", "Партнёр", "Профи", "Поставка", "Технологии", "Консалт",
	}
	nameAdj = []string{
		"Северная", "Южная", "Первая", "Новая", "Центральная", "Уральская", "Волжская",
		"Сибирская", "Балтийская", "Столичная", "Региональная", "Объединённая",
	}
	nameNoun = []string{
		"Звезда", "Компания", "Линия", "Мануфактура", "Артель", "Гавань", "Долина", "Слобода",
		"Фабрика", "Корона", "Верфь", "Крепость",
	}
	nameWord = []string{
		"Ромашка", "Вектор", "Гранит", "Меридиан", "Горизонт", "Ориентир", "Континент", "Зенит",
		"Атлант", "Феникс", "Спектр", "Квадрат", "Пульсар", "Эталон", "Аврора", "Рубикон",
		"Кристалл", "Магистраль", "Арсенал", "Созвездие", "Омега", "Сфера", "Базис", "Фортуна",
	}
)

// companyName makes names like «СтройКомплект», «Северная Звезда»,
// «ТД Меридиан», «Гранит-М».
func companyName(r *rand.Rand) string {
	switch r.IntN(7) {
	case 0, 1:
		s := pick(r, nameFirst) + lowerFirst(pick(r, nameSecond))
		if r.IntN(3) == 0 {
			s = pick(r, nameFirst) + pick(r, nameSecond)
		}
		return s
	case 2:
		return pick(r, nameAdj) + " " + pick(r, nameNoun)
	case 3:
		return pick(r, []string{"ТД", "ГК", "ПК", "НПО", "ТК"}) + " " + pick(r, nameWord)
	case 4:
		return pick(r, nameWord) + "-" + pick(r, []string{"М", "Т", "Строй", "Сервис", "Плюс", "2000", "Юг", "Центр"})
	case 5:
		return pick(r, nameFirst) + pick(r, nameSecond) + " " + pick(r, []string{"Групп", "Плюс", "М", "Юг"})
	}
	return pick(r, nameWord)
}

func lowerFirst(s string) string {
	rs := []rune(s)
	rs[0] = []rune(strings.ToLower(string(rs[0])))[0]
	return string(rs)
}

type nameSet struct{ last, first, middle []string }

var (
	maleNames = nameSet{
		last:   []string{"Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров", "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Алексеев", "Степанов"},
		first:  []string{"Иван", "Сергей", "Андрей", "Дмитрий", "Алексей", "Михаил", "Павел", "Николай", "Владимир", "Александр", "Олег", "Роман", "Евгений", "Виктор", "Константин", "Игорь", "Артём", "Максим", "Денис", "Юрий"},
		middle: []string{"Иванович", "Сергеевич", "Андреевич", "Дмитриевич", "Алексеевич", "Михайлович", "Павлович", "Николаевич", "Владимирович", "Александрович", "Олегович", "Романович", "Евгеньевич", "Викторович", "Игоревич", "Юрьевич", "Петрович", "Васильевич"},
	}
	femaleFirst = []string{"Ольга", "Елена", "Анна", "Мария", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Екатерина", "Марина", "Людмила", "Галина", "Виктория", "Ксения", "Дарья"}
)

// newPerson makes a male or female person with correct genitive forms.
func newPerson(r *rand.Rand) person {
	last, mid := pick(r, maleNames.last), pick(r, maleNames.middle)
	if r.IntN(5) < 2 {
		first := pick(r, femaleFirst)
		lastF := last + "а"
		midF := strings.TrimSuffix(mid, "ич") + "на"
		return person{
			Last: lastF, First: first, Middle: midF,
			LastGen: lastF[:len(lastF)-len("а")] + "ой", FirstGen: femaleGen(first), MiddleGen: strings.TrimSuffix(midF, "а") + "ы",
		}
	}
	first := pick(r, maleNames.first)
	return person{Last: last, First: first, Middle: mid, LastGen: last + "а", FirstGen: maleGen(first), MiddleGen: mid + "а"}
}

func maleGen(s string) string {
	switch {
	case strings.HasSuffix(s, "й"):
		return strings.TrimSuffix(s, "й") + "я"
	case s == "Павел":
		return "Павла"
	case s == "Артём":
		return "Артёма"
	}
	return s + "а"
}

func femaleGen(s string) string {
	switch {
	case strings.HasSuffix(s, "ия"):
		return strings.TrimSuffix(s, "я") + "и"
	case strings.HasSuffix(s, "ья"):
		return strings.TrimSuffix(s, "я") + "и"
	case strings.HasSuffix(s, "га"), strings.HasSuffix(s, "ка"):
		return strings.TrimSuffix(s, "а") + "и"
	}
	return strings.TrimSuffix(s, "а") + "ы"
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func digitsN(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}
