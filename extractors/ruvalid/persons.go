package ruvalid

import "strings"

// A sole trader (ИП) is named by a surname, a first name and a patronymic.
// Surnames are an open set, but first names and patronymics are not: the
// first names below are those a Russian back office meets (the common
// Russian ones and the common Tatar, Bashkir and Caucasian ones written in
// Russian), and a patronymic is formed from a man's first name by rule.
// A name that OCR damaged («Павло|ич», «Юлня») is rarely another name of the
// same gender that starts with the same letter, which is what lets the
// extractor vouch for a sole trader's full name by the signature's
// «Фамилия И. О.» (extractors/fields, evidence «signature»).
//
// Limits: a first name outside the lists (a rare or foreign one) is not
// recognised, and its document goes to a clerk; a patronymic from such a
// name likewise. Both lists compare with ё folded to е and in lower case.

// Gender of a first name or patronymic.
type Gender int8

const (
	GenderUnknown Gender = iota
	Male
	Female
)

var maleFirstNames = setOf(`
абрам аверьян аврам агафон адам адриан азат айдар айрат аким алан альберт
александр алексей алик альфред амир анатолий андрей анисим антон арам аркадий
арсен арсений артем артур архип афанасий ахмед багдан богдан борис бронислав
булат вадим валентин валерий валерьян василий венедикт вениамин виктор
викентий виль вилен виталий владимир владислав владлен всеволод вячеслав
гавриил гарри геннадий генрих георгий герасим герман глеб гордей григорий
давид даниил данила данил даниэль демид демьян денис дмитрий евгений
евдоким егор елисей емельян еремей ерофей ефим ефрем жан захар зиновий
иван игнат игнатий игорь илья ильдар ильнур ильшат ильяс иннокентий иосиф
ираклий исаак ислам камиль карен ким кирилл клим климент кондрат константин
кузьма лаврентий лазарь лев леон леонид леонтий линар лука любомир макар
максим марат марк мартин матвей мирон мирослав митрофан михаил модест
мстислав мурат назар наиль наум нестор никита никифор никодим никола
николай никон нурлан олег осип остап павел пантелей петр платон порфирий
прохор радик радий рамазан рамиль ранис рафаэль рафаиль рафик рашид ренат
ринат роберт родион роман ростислав рудольф руслан рустам рустем савва
савелий святослав семен серафим сергей спартак станислав степан султан
тагир тарас тимофей тимур тихон трофим умар урал устин фарид федор
феликс филат филипп фома фрол харитон шамиль эдгар эдуард эльдар эмиль
эммануил эрик юлиан юлий юрий яков ян ярослав
`)

var femaleFirstNames = setOf(`
ава агата агния аделина аза аида айгуль айгюль акулина аксинья алевтина
алена алеся алина алиса алла алсу альбина альфия амалия амина анастасия
ангелина анжела анжелика анисья анна антонина анфиса ариадна арина асель
ася белла божена валентина валерия ванда варвара василина василиса вера
вероника веста видана викторина виктория вилена виолетта виталина влада
владислава галина гелена гульназ гульнара гульшат дана дарина дарья диана
дилара диляра дина динара ева евгения евдокия екатерина елена елизавета
есения жанна зарема зарина земфира зинаида злата зоя зульфия ивета ида
изабелла илана ильмира инга инесса инна ирина ирма камила камилла карина
каролина кира клавдия клара кристина ксения лада лайла лариса лейла лейсан
леся лиана лидия лилиана лилия лина лолита любава любовь людмила ляйсан майя
маргарита марианна марина мария марьям марья маша мелания милана милена
мирослава надежда наиля настасья наталия наталья нелли ника нина нинель
нонна оксана олеся олимпиада ольга пелагея полина прасковья рада раиса регина
римма рината роза розалия розалина руслана русалина сабина сания светлана
серафима снежана софия софья стефания стела стелла таисия таисья тамара
татьяна ульяна фаина фарида эвелина элеонора элина элла эльвира эльмира
эльза эмилия эмма юлиана юлия юния яна янина ярослава
`)

// patronymicIrregular gives, for the men's names whose patronymic is not formed
// by the regular rule, the masculine and feminine patronymics (several
// where usage varies).
var patronymicIrregular = map[string][][2]string{
	"лев":      {{"львович", "львовна"}},
	"павел":    {{"павлович", "павловна"}},
	"петр":     {{"петрович", "петровна"}},
	"михаил":   {{"михайлович", "михайловна"}},
	"гавриил":  {{"гаврилович", "гавриловна"}, {"гавриилович", "гаврииловна"}},
	"даниил":   {{"даниилович", "данииловна"}, {"данилович", "даниловна"}},
	"яков":     {{"яковлевич", "яковлевна"}},
	"илья":     {{"ильич", "ильинична"}},
	"никита":   {{"никитич", "никитична"}},
	"лука":     {{"лукич", "лукинична"}},
	"фома":     {{"фомич", "фоминична"}},
	"кузьма":   {{"кузьмич", "кузьминична"}},
	"савва":    {{"саввич", "саввична"}},
	"данила":   {{"данилович", "даниловна"}},
	"никола":   {{"николаевич", "николаевна"}},
	"дмитрий":  {{"дмитриевич", "дмитриевна"}},
	"зиновий":  {{"зиновьевич", "зиновьевна"}},
	"эммануил": {{"эммануилович", "эммануиловна"}},
}

// patronymics maps every patronymic formed from maleFirstNames to its
// gender.
var patronymics = func() map[string]Gender {
	m := map[string]Gender{}
	add := func(male, female string) {
		m[male], m[female] = Male, Female
	}
	for name := range maleFirstNames {
		if irr, ok := patronymicIrregular[name]; ok {
			for _, p := range irr {
				add(p[0], p[1])
			}
			continue
		}
		r := []rune(name)
		stem, last := string(r[:len(r)-1]), r[len(r)-1]
		switch {
		case strings.HasSuffix(name, "ий"):
			// Юрий → Юрьевич; usage also writes Юриевич.
			s := string(r[:len(r)-2])
			add(s+"ьевич", s+"ьевна")
			add(s+"иевич", s+"иевна")
		case last == 'й' || last == 'ь':
			// Сергей → Сергеевич, Николай → Николаевич, Игорь → Игоревич.
			add(stem+"евич", stem+"евна")
		case last == 'а' || last == 'я':
			// Names in -а/-я not listed as irregular form nothing by rule.
		default:
			add(name+"ович", name+"овна")
		}
	}
	return m
}()

// PersonName reports whether first and patronymic are a first name and a
// patronymic of the same person: both known, of one gender. The words are
// compared in lower case with ё folded to е; any letter outside the
// Cyrillic alphabet fails, so a Latin look-alike is never a name.
func PersonName(first, patronymic string) (Gender, bool) {
	f, p := FoldPersonWord(first), FoldPersonWord(patronymic)
	if f == "" || p == "" {
		return GenderUnknown, false
	}
	var g Gender
	switch {
	case maleFirstNames[f]:
		g = Male
	case femaleFirstNames[f]:
		g = Female
	default:
		return GenderUnknown, false
	}
	if patronymics[p] != g {
		return GenderUnknown, false
	}
	return g, true
}

// FoldPersonWord lower-cases w and folds ё to е; it returns "" unless w is
// all Cyrillic letters (a Latin twin or a stray mark is not part of a
// person's name).
func FoldPersonWord(w string) string {
	w = strings.ToLower(w)
	var b strings.Builder
	for _, r := range w {
		switch {
		case r == 'ё':
			b.WriteRune('е')
		case r >= 'а' && r <= 'я':
			b.WriteRune(r)
		default:
			return ""
		}
	}
	return b.String()
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		if f := FoldPersonWord(w); f != "" {
			m[f] = true
		}
	}
	return m
}
