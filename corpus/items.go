package corpus

import (
	"math/rand/v2"

	pervichka "github.com/pervichka/pervichka"
)

// unit is a unit of measure with its ОКЕИ code.
type unit struct{ Name, Code string }

var (
	unitPcs   = unit{"шт", "796"}
	unitKg    = unit{"кг", "166"}
	unitM     = unit{"м", "006"}
	unitPack  = unit{"упак", "778"}
	unitL     = unit{"л", "112"}
	unitSvc   = unit{"усл. ед.", "876"}
	unitHour  = unit{"час", "356"}
	unitMonth = unit{"мес.", "362"}
)

// product is one line a category can produce; prices are in kopecks, VAT
// included, and quantities follow the kind of goods.
type product struct {
	Name               string
	Unit               unit
	MinPrice, MaxPrice pervichka.Kopecks
	MaxQty             int  // whole units drawn from 1..MaxQty
	Fraction           bool // quantities like 2,5 or 12,345
}

func (p product) qty(r *rand.Rand) qty {
	whole := 1 + r.IntN(max(p.MaxQty, 1))
	if p.Fraction && r.IntN(2) == 0 {
		switch r.IntN(3) {
		case 0:
			return qty(whole*1000 + 500)
		case 1:
			return qty((whole-1)*1000 + 250*(1+r.IntN(3)))
		default:
			return qty((whole-1)*1000 + 1 + r.IntN(999))
		}
	}
	return qty(whole * 1000)
}

// category is a kind of goods or services sold together. Reduced marks goods
// taxed at 10% (foodstuffs and children's goods from the government list).
type category struct {
	Service bool
	Reduced bool
	Items   []product
}

const rub = 100

var goodsCategories = []category{
	{Items: []product{ // office supplies
		{"Бумага офисная SvetoCopy A4, 80 г/м2, 500 л.", unitPack, 290 * rub, 620 * rub, 50, false},
		{"Картридж лазерный HP 85A (CE285A) черный", unitPcs, 2900 * rub, 7400 * rub, 6, false},
		{"Ручка шариковая синяя 0,7 мм", unitPcs, 14 * rub, 65 * rub, 100, false},
		{"Папка-регистратор 75 мм, А4, синяя", unitPcs, 149 * rub, 390 * rub, 40, false},
		{"Степлер № 24/6 на 25 листов", unitPcs, 210 * rub, 690 * rub, 10, false},
		{"Бумага для заметок с клеевым краем 76х76 мм", unitPack, 45 * rub, 180 * rub, 30, false},
		{"Файл-вкладыш А4, 40 мкм, 100 шт.", unitPack, 190 * rub, 420 * rub, 20, false},
		{"Скобы для степлера № 24/6, 1000 шт.", unitPack, 25 * rub, 90 * rub, 30, false},
		{"Калькулятор настольный 12-разрядный", unitPcs, 540 * rub, 1850 * rub, 5, false},
		{"Тетрадь общая А5, 96 л., клетка", unitPcs, 59 * rub, 160 * rub, 40, false},
	}},
	{Items: []product{ // building materials
		{"Цемент М500 Д0, мешок 50 кг", unitPcs, 480 * rub, 760 * rub, 80, false},
		{"Кабель ВВГнг(А)-LS 3х2,5 ок(N,PE)-0,66", unitM, 78 * rub, 165 * rub, 500, true},
		{"Профиль направляющий ПН 50х40, 3 м", unitPcs, 160 * rub, 320 * rub, 120, false},
		{"Саморез по металлу 4,2х16 мм", unitKg, 380 * rub, 690 * rub, 25, true},
		{"Арматура А500С д. 12 мм", unitKg, 62 * rub, 95 * rub, 900, true},
		{"Гипсокартон ГКЛ 12,5х1200х2500 мм", unitPcs, 390 * rub, 640 * rub, 150, false},
		{"Смесь штукатурная гипсовая, 30 кг", unitPcs, 390 * rub, 720 * rub, 60, false},
		{"Труба ПНД 32 мм SDR 11", unitM, 54 * rub, 140 * rub, 300, true},
		{"Краска водно-дисперсионная белая, 10 л", unitPcs, 1350 * rub, 3900 * rub, 20, false},
		{"Утеплитель минераловатный 50 мм, 6 плит", unitPack, 690 * rub, 1490 * rub, 60, false},
	}},
	{Reduced: true, Items: []product{ // foodstuffs, 10%
		{"Молоко питьевое пастеризованное 3,2%, 1 л", unitPcs, 72 * rub, 125 * rub, 120, false},
		{"Сахар-песок", unitKg, 58 * rub, 110 * rub, 200, true},
		{"Крупа гречневая ядрица", unitKg, 68 * rub, 160 * rub, 100, true},
		{"Мука пшеничная высшего сорта", unitKg, 42 * rub, 85 * rub, 300, true},
		{"Масло сливочное 82,5%", unitKg, 690 * rub, 1290 * rub, 40, true},
		{"Хлеб пшеничный формовой, 500 г", unitPcs, 38 * rub, 75 * rub, 100, false},
		{"Говядина охлажденная, лопатка", unitKg, 590 * rub, 980 * rub, 60, true},
		{"Филе куриное охлажденное", unitKg, 330 * rub, 520 * rub, 80, true},
		{"Рис круглозерный", unitKg, 75 * rub, 140 * rub, 100, true},
		{"Масло подсолнечное рафинированное, 1 л", unitPcs, 110 * rub, 190 * rub, 60, false},
	}},
	{Items: []product{ // computers and office equipment
		{"Ноутбук Lenovo IdeaPad Slim 3 15IRH8, 16 ГБ, 512 ГБ SSD", unitPcs, 52000 * rub, 89000 * rub, 5, false},
		{"Монитор Samsung S24C310EAI 24 дюйма", unitPcs, 9800 * rub, 16500 * rub, 8, false},
		{"Мышь беспроводная Logitech M185", unitPcs, 890 * rub, 1790 * rub, 20, false},
		{"Клавиатура проводная Defender Element HB-520", unitPcs, 450 * rub, 1200 * rub, 20, false},
		{"Источник бесперебойного питания APC Back-UPS 650", unitPcs, 6900 * rub, 11900 * rub, 6, false},
		{"Коммутатор TP-Link TL-SG1016D, 16 портов", unitPcs, 5100 * rub, 8400 * rub, 3, false},
		{"МФУ лазерное Pantum M6500W", unitPcs, 13900 * rub, 21900 * rub, 3, false},
		{"Кабель патч-корд UTP кат. 5е, 3 м", unitPcs, 90 * rub, 240 * rub, 50, false},
		{"Накопитель SSD Kingston A400 480 ГБ", unitPcs, 2900 * rub, 4900 * rub, 10, false},
	}},
	{Items: []product{ // cleaning and household
		{"Средство моющее универсальное, канистра 5 л", unitPcs, 390 * rub, 990 * rub, 20, false},
		{"Перчатки нитриловые, размер M, 100 шт.", unitPack, 450 * rub, 1100 * rub, 20, false},
		{"Мешки для мусора 120 л, 10 шт.", unitPack, 95 * rub, 260 * rub, 50, false},
		{"Бумага туалетная двухслойная, 8 рулонов", unitPack, 160 * rub, 420 * rub, 40, false},
		{"Полотенца бумажные листовые Z-сложения", unitPack, 110 * rub, 290 * rub, 60, false},
		{"Мыло жидкое, 5 л", unitPcs, 320 * rub, 780 * rub, 15, false},
		{"Средство для мытья полов", unitL, 85 * rub, 210 * rub, 60, true},
		{"Ветошь обтирочная", unitKg, 90 * rub, 180 * rub, 50, true},
	}},
}

var serviceCategories = []category{
	{Service: true, Items: []product{
		{"Услуги по техническому обслуживанию инженерных систем", unitSvc, 18000 * rub, 95000 * rub, 1, false},
		{"Услуги по уборке офисных помещений", unitMonth, 25000 * rub, 140000 * rub, 1, false},
		{"Услуги по вывозу твердых коммунальных отходов", unitSvc, 4500 * rub, 26000 * rub, 4, false},
		{"Аренда нежилого помещения", unitMonth, 45000 * rub, 380000 * rub, 1, false},
		{"Возмещение коммунальных расходов", unitSvc, 3000 * rub, 42000 * rub, 1, false},
		{"Услуги охраны объекта", unitMonth, 60000 * rub, 210000 * rub, 1, false},
	}},
	{Service: true, Items: []product{
		{"Консультационные услуги по бухгалтерскому учету", unitSvc, 15000 * rub, 90000 * rub, 1, false},
		{"Юридические услуги по договору абонентского обслуживания", unitMonth, 20000 * rub, 120000 * rub, 1, false},
		{"Услуги по ведению кадрового делопроизводства", unitMonth, 9000 * rub, 45000 * rub, 1, false},
		{"Услуги по подготовке и сдаче налоговой отчетности", unitSvc, 5000 * rub, 35000 * rub, 1, false},
	}},
	{Service: true, Items: []product{
		{"Разработка программного обеспечения", unitHour, 1800 * rub, 4500 * rub, 160, true},
		{"Услуги по сопровождению 1С:Предприятие", unitHour, 1500 * rub, 3600 * rub, 40, true},
		{"Администрирование серверов и сети", unitMonth, 30000 * rub, 110000 * rub, 1, false},
		{"Услуги по технической поддержке пользователей", unitHour, 1200 * rub, 2800 * rub, 60, true},
		{"Предоставление доступа к облачному сервису", unitMonth, 2500 * rub, 48000 * rub, 3, false},
		{"Услуги хостинга виртуального сервера", unitMonth, 1900 * rub, 24000 * rub, 2, false},
	}},
	{Service: true, Items: []product{
		{"Транспортно-экспедиционные услуги", unitSvc, 12000 * rub, 95000 * rub, 6, false},
		{"Услуги по доставке груза", unitSvc, 3500 * rub, 42000 * rub, 10, false},
		{"Услуги погрузочно-разгрузочных работ", unitHour, 900 * rub, 2400 * rub, 24, true},
		{"Услуги по хранению товаров на складе", unitMonth, 18000 * rub, 150000 * rub, 1, false},
		{"Монтаж системы видеонаблюдения", unitSvc, 25000 * rub, 190000 * rub, 1, false},
		{"Ремонт офисного помещения", unitSvc, 60000 * rub, 650000 * rub, 1, false},
	}},
}
