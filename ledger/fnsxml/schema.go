package fnsxml

import "encoding/xml"

// The elements of ON_NSCHFDOPPR 5.03 that Pervichka fills, in the schema's
// order (xs:sequence is ordered). Names are the schema's own.

type xFile struct {
	XMLName xml.Name `xml:"Файл"`
	ID      string   `xml:"ИдФайл,attr"`
	Version string   `xml:"ВерсФорм,attr"`
	Program string   `xml:"ВерсПрог,attr"`
	Doc     xDoc     `xml:"Документ"`
}

type xDoc struct {
	KND      string     `xml:"КНД,attr"`
	Function string     `xml:"Функция,attr"`
	FactName string     `xml:"ПоФактХЖ,attr,omitempty"`
	DocName  string     `xml:"НаимДокОпр,attr,omitempty"`
	Date     string     `xml:"ДатаИнфПр,attr"`
	Time     string     `xml:"ВремИнфПр,attr"`
	Composer string     `xml:"НаимЭконСубСост,attr,omitempty"`
	Invoice  xInvoice   `xml:"СвСчФакт"`
	Table    *xTable    `xml:"ТаблСчФакт"`
	Transfer *xTransfer `xml:"СвПродПер"`
	Signer   []xSigner  `xml:"Подписант"`
}

type xInvoice struct {
	Number   string    `xml:"НомерДок,attr"`
	Date     string    `xml:"ДатаДок,attr"`
	Seller   xParty    `xml:"СвПрод"`
	Shipment []xDocRef `xml:"ДокПодтвОтгрНом"`
	Buyer    xParty    `xml:"СвПокуп"`
	Currency xCurrency `xml:"ДенИзм"`
}

type xParty struct {
	ID      xPartyID  `xml:"ИдСв"`
	Address *xAddress `xml:"Адрес"`
	Bank    *xBank    `xml:"БанкРекв"`
}

type xPartyID struct {
	IP  *xIP  `xml:"СвИП"`
	Org *xOrg `xml:"СвЮЛУч"`
}

type xIP struct {
	INN string `xml:"ИННФЛ,attr"`
	FIO xFIO   `xml:"ФИО"`
}

type xOrg struct {
	Name string `xml:"НаимОрг,attr"`
	INN  string `xml:"ИННЮЛ,attr"`
	KPP  string `xml:"КПП,attr,omitempty"`
}

type xFIO struct {
	Last   string `xml:"Фамилия,attr"`
	First  string `xml:"Имя,attr"`
	Middle string `xml:"Отчество,attr,omitempty"`
}

type xAddress struct {
	RF xAddrRF `xml:"АдрРФ"`
}

type xAddrRF struct {
	Region     string `xml:"КодРегион,attr"`
	RegionName string `xml:"НаимРегион,attr"`
}

type xBank struct {
	Account string     `xml:"НомерСчета,attr,omitempty"`
	Bank    *xBankInfo `xml:"СвБанк"`
}

type xBankInfo struct {
	Name string `xml:"НаимБанк,attr,omitempty"`
	BIK  string `xml:"БИК,attr,omitempty"`
	Corr string `xml:"КорСчет,attr,omitempty"`
}

type xDocRef struct {
	Name   string `xml:"РеквНаимДок,attr"`
	Number string `xml:"РеквНомерДок,attr"`
	Date   string `xml:"РеквДатаДок,attr"`
}

type xCurrency struct {
	Code string `xml:"КодОКВ,attr"`
	Name string `xml:"НаимОКВ,attr"`
}

type xTable struct {
	Lines []xLine `xml:"СведТов"`
	Total xTotal  `xml:"ВсегоОпл"`
}

type xLine struct {
	N      int      `xml:"НомСтр,attr"`
	Name   string   `xml:"НаимТов,attr,omitempty"`
	OKEI   string   `xml:"ОКЕИ_Тов,attr,omitempty"`
	Unit   string   `xml:"НаимЕдИзм,attr,omitempty"`
	Qty    string   `xml:"КолТов,attr,omitempty"`
	Price  string   `xml:"ЦенаТов,attr,omitempty"`
	Net    string   `xml:"СтТовБезНДС,attr,omitempty"`
	Rate   string   `xml:"НалСт,attr"`
	Gross  string   `xml:"СтТовУчНал,attr,omitempty"`
	Excise *xExcise `xml:"Акциз"`
	VAT    xVAT     `xml:"СумНал"`
}

type xExcise struct {
	None string `xml:"БезАкциз"`
}

// xVAT is СумНДСТип: an amount, or «без НДС».
type xVAT struct {
	Sum  string `xml:"СумНал,omitempty"`
	None string `xml:"БезНДС,omitempty"`
}

type xTotal struct {
	Net   string `xml:"СтТовБезНДСВсего,attr,omitempty"`
	Gross string `xml:"СтТовУчНалВсего,attr,omitempty"`
	VAT   xVAT   `xml:"СумНалВсего"`
}

type xTransfer struct {
	Info xTransferInfo `xml:"СвПер"`
}

type xTransferInfo struct {
	Content string    `xml:"СодОпер,attr"`
	Date    string    `xml:"ДатаПер,attr,omitempty"`
	Basis   []xDocRef `xml:"ОснПер"`
	NoBasis string    `xml:"БезДокОснПер,omitempty"`
}

type xSigner struct {
	Position string `xml:"Должн,attr,omitempty"`
	Method   string `xml:"СпосПодтПолном,attr"`
	Extra    string `xml:"ДопСведПодп,attr,omitempty"`
	FIO      xFIO   `xml:"ФИО"`
}
