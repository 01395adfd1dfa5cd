"""Word lists for the synthetic worker generator (lindung.demo.generator).

Invented combinations of common East Java (Tulungagung, Kediri, Blitar) names and places:
every list is of the project's own making, no person's record was copied. Names are kept as
single words; the generator joins them. A word listed twice is drawn twice as often.

Why the lists are split the way they are:

- ``*_SINGLE``: one-word Javanese names ("Sutrisno", "Painem"), the usual name of people
  born before about 1975 and rarer after.
- ``*_FIRST`` / ``*_LAST``: the first and last word of two- and three-word names; the
  ``*_MODERN`` lists hold names given mostly since the 1990s ("Dimas", "Nabila").
- ``*_ISLAMIC_LEAD`` and ``*_ISLAMIC``: "Muhammad Rizki", "Siti Aminah". The lead keeps the
  abbreviations and spellings people really write on forms ("Moch.", "M.", "Achmad", "St.").
- ``ABDUL_NAMES``: what follows "Abdul" (one of the names of God), never anything else.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_SINGLE = _words("""
    Sutrisno Suparman Slamet Sugeng Paimin Sarno Kasmuri Suyono Sumarno Sukirno Sunarto
    Suwarno Supardi Suratman Sukardi Suroso Sumadi Sugiono Sutikno Supriyadi Mujiono Mulyono
    Wagiman Tukiman Paijo Parman Karno Kasiman Darmaji Jumadi Juwari Ngatiman Ngadiman Ngatijo
    Katimin Poniman Rakimin Sakimin Tumijan Wakidi Yatiman Misdi Miskan Muhadi Kasdi Tarmuji
    Samsuri Bonari Gimin Sarmin Samiran Haryono Hartono Hariyanto Heriyanto Mardi Marno Parjo
    Parno Purwanto Priyanto Sugianto Sumardi Sumarji Suyanto Suyitno Sudarmaji Sudarsono Sugito
    Suharto Suharno Suhadi Sujono Sukamto Sukarman Sukijan Sukirman Sulistyo Sumanto Sumarlan
    Sunardi Sunaryo Supeno Suprapto Supri Suradi Surahmat Suroto Suryadi Sutarno Sutejo Suwaji
    Suwandi Suwito Suyadi Triyono Tukimin Tumiran Wagino Wahono Warsito Warsono Widodo Winarno
    Yatno Yuwono Rusdi Kusnadi Kuswanto Kusno Lasiman Legiman Marsudi Nurhadi Nuryanto Paidi
    Cipto Cahyono Jarwo Joyo Jaiman Jemari Kamari Kamijan Karsono Kardi Darmo Darsono Dasuki
    Harsono Jasmani Kadiran Kaseri Kasirin Katiran Kemis Marjuki Mesiran Mukari Mukiban Mulyadi
    Munawi Ngadiono Ngadimin Ngateman Panut Pardi Parlan Pariyo Poniran Rebo Sadimin Sadiran
    Saeran Saimin Sajuri Salimin Samijan Saminto Samuji Sardi Sarijo Sarimun Sartono Sastro
    Senen Siswanto Sidik Subandi Subari Subiyanto Sudiro Sudirman Sugiyanto Suhardi Sujadi
    Sujarwo Sukadi Sukaji Sukarji Sukidi Sumarto Sunaji Sungkono Supomo Supriono Surip Suripto
    Suryanto Suseno Sutoyo Suwadi Suwignyo Suwoto Tamin Tarno Tarji Tego Tukidi Tumin Wagimin
    Wakijan Waluyo Wardoyo Warji Wijianto Yadi Yamin Yatmo Zaenuri Mustofa Mukhlis Romli Rohmad
    Rokhim Kasan Kusen Dullah Sulaiman Mahmudi Marzuki Sholeh Mansur Bakri Jaelani Basuki
    Slamet Slamet Sutrisno Suparman Sugeng Suyono Sunarto Mulyono Widodo Supriyadi
""")

MALE_FIRST = _words("""
    Agus Agus Agus Budi Budi Eko Eko Eko Dwi Dwi Tri Tri Catur Joko Joko Bambang Bambang Hadi
    Rudi Andi Wahyu Wahyu Heru Hari Imam Imam Dedi Deni Doni Edi Gatot Hendro Iwan Yudi Arif
    Anang Anton Bagus Didik Didik Dodik Endro Feri Hery Hendra Indra Irwan Joni Lilik Mulyo
    Nanang Priyo Puji Rahmat Sigit Teguh Totok Untung Wawan Widi Yoyok Yanto Bowo Ari Adi Aris
    Dani Edy Erik Harun Heri Jatmiko Kukuh Prapto Rudy Setyo Slamet Sugeng Suryo Tono Puguh
    Sapto Sutris Yusuf Nur Nur Eka Handoko Hasan Ismail Mujib Saiful Samsul Sony Yulius Wiwit
    Tutut Yohanes Andre Benny Dwiyono Hermanto Kusnan Moko Pujiono Sukron
""")

MALE_FIRST_MODERN = _words("""
    Dimas Bayu Rizki Aditya Andika Reza Fajar Ilham Yoga Rendi Dicky Ferdi Galang Rangga Rafi
    Bagas Angga Dony Fandi Fikri Hafiz Irfan Krisna Lukman Mahendra Oki Panji Rio Riko Satria
    Tegar Vicky Wisnu Yogi Zaki Alif Arya Bima Danu Dwiki Fahmi Gilang Ardi Agung Restu Rizal
    Robi Septian Taufik Afif Alvin Dafa Deva Dio Farhan Hanif Kevin Naufal Rehan Rifqi Sandi
""")

MALE_LAST = _words("""
    Setiawan Setiawan Santoso Santoso Prasetyo Prasetyo Wahyudi Wahyudi Hidayat Susanto
    Purnomo Hermawan Wibowo Utomo Nugroho Sugiarto Riyadi Supriyanto Suprayitno Subagyo
    Kuncoro Hartono Widodo Waluyo Sutrisno Prabowo Pranoto Raharjo Harjono Mulyono Suharto
    Triyono Yulianto Setiyono Budiono Budiman Gunawan Hariadi Iskandar Junaedi Kurniawan
    Mahmudi Nurhadi Purwanto Rahmanto Santosa Setiadi Siswoyo Sukoco Sumarno Suryanto Susilo
    Sutanto Suwandi Wicaksono Widianto Winarko Wiyono Yuwono Ariyanto Cahyono Darmawan Effendi
    Fauzi Haryanto Irawan Kristanto Lukito Mujiono Prasetya Pamungkas Purwoko Rianto Saputro
    Setyawan Sugianto Sumarsono Sunarko Supomo Suyanto Wardana Wijaya Basuki Sasongko Laksono
    Hadi Mulyadi Priyono Sanjaya Sudarmanto Utomo Widiyanto
""")

MALE_LAST_MODERN = _words("""
    Pratama Pratama Saputra Saputra Ramadhan Firmansyah Maulana Kurniawan Permana Wijaya
    Aditya Prayoga Nugraha Putra Hidayatullah Syahputra Alfarizi Mahendra Ardiansyah Kusuma
    Prakoso Febrianto Septiawan Oktavian Adiputra Anggara Dwiyanto Hakim Mubarok Nurcahyo
    Pradana Rahman Saifulloh Yudistira Zulkarnain Prasetyo Setiawan Wicaksono Syahroni
    Alfian Dermawan Hidayat Novianto Pangestu Satriya
""")

# The middle word of three-word names ("Dimas Adi Saputra", "Dwi Ayu Lestari").
MALE_MIDDLE = _words("""
    Adi Adi Nur Nur Budi Agus Eko Dwi Tri Setyo Wahyu Aji Bagus Hadi Putra Dimas Bayu Dwi Arif
    Rizki Indra Yudha Andri Teguh Ari Cahyo Heru Sigit Tri Nur
""")

FEMALE_MIDDLE = _words("""
    Nur Nur Sri Dwi Tri Ayu Ayu Dewi Putri Indah Kusuma Eka Dian Nurul Ika Wulan Retno Rahayu
    Tri Endah Puji Kurnia Fitri Sari Wahyu Setyo Rahma Diah
""")

# Weighted: "Muhammad" and its spellings lead most often; "Abdul" is followed by ABDUL_NAMES.
MALE_ISLAMIC_LEAD = (
    ("Muhammad",) * 8
    + ("Mochammad",) * 3
    + ("Moch.",) * 3
    + ("Moh.",) * 2
    + ("M.",) * 2
    + ("Mohammad",) * 2
    + ("Muhamad",) * 2
    + ("Much.", "Mohamad", "Mukhamad")
    + ("Ahmad",) * 6
    + ("Achmad",) * 3
    + ("Akhmad",)
    + ("Abdul",) * 5
)

MALE_ISLAMIC = _words("""
    Rizki Rizki Fauzi Fauzi Arif Ali Yusuf Ilham Hasan Husein Zainal Khoirul Anwar Imron
    Sholeh Bahrudin Mansur Mustofa Luthfi Faisal Ridwan Habib Hanif Zaki Syafi'i Ma'ruf
    Nurhadi Syaifudin Saifuddin Mukhlis Amin Amir Basori Nasrudin Khozin Dzulkifli Fahrudin
    Fathoni Ghozali Hamdani Hariri Idris Ikhsan Ismail Jauhari Kholil Sodikin Lutfi Makruf
    Masruri Syukron Muhaimin Mujib Munir Nasrul Nasikin Qomarudin Rofiq Sholikin Subkhan
    Syamsul Thohir Ubaidillah Wahid Yasin Zainuri Zuhri Afandi Asrori Bisri Fadli Hamim Huda
    Jamil Kamal Khamim Miftah Mahfud Nashrudin Sholihin Syarifudin Kholiq Nur Rosyid Hakim
""")

ABDUL_NAMES = _words("""
    Rohman Rohman Karim Rohim Rochim Aziz Malik Ghofur Halim Kholik Wahab Latif Majid Hamid
    Rozak Salam Jalil Qodir Basit Mu'in Mannan Hadi Rosyid Kadir Muhaimin Fatah Wahid Ghoni
    Rahman Manan
""")

FEMALE_SINGLE = _words("""
    Sumarni Suwarni Wahyuni Sutini Sumiati Suparmi Suyati Sulastri Sukarti Sriyani Painem
    Paini Tumini Tukinem Ngatini Ngatiyem Ngatemi Katini Kasiyem Kasmini Juwariyah Jumiati
    Lasmi Legini Marni Miyati Mujiati Mulyani Musriah Parmi Partini Poniyem Rukmini Rusmini
    Sainem Sarmi Sarminah Siyam Sugiarti Suhartini Sukini Sulasmi Sumartini Sumini Suminah
    Sunarsih Supami Supiyah Suprihatin Surati Suratmi Suryani Susilowati Sutarmi Suwarti Tarmi
    Tasmini Tuminah Tumirah Wagini Wartini Winarti Yatmi Yatini Yuliati Kartini Karsini Kasemi
    Katemi Kamisah Kasiati Kasmirah Kayatun Lamini Lasiyem Lastri Marmi Marsini Marsiyah
    Mesinem Misiati Misinem Muntiah Murtini Musini Ngadinah Ngaisah Ngatinah Ngatirah Ngatmini
    Nyamini Pairah Paniyem Parinem Parti Patmi Poniti Ponirah Rasmini Rubiyah Rukiyah Rumini
    Rusmiati Saminah Sarinah Sarmini Sartini Sokiyah Sriatun Sudarmi Sugiyem Suharni Sujiati
    Sukarmi Sukesi Sulami Sumarmi Sunarti Supini Suprapti Suriyah Sutarti Sutinah Suwanti
    Suwati Suyatmi Tarsini Tukiyem Tumijah Wagiyem Warsini Warsiti Wasini Watini Yatun Harini
    Kustini Hartatik Sriyatun Endang Aminah Fatimah Khotimah Romlah Maisaroh Muawanah
    Mutmainah Rohmah Rukayah Sholikhah Juminten Tukirah Samini Sumirah Sarpini Jaenab Umiyati
    Sumarni Sumarni Wahyuni Wahyuni Suwarni Sulastri Sutini Sumiati Suyati Painem Ngatini
""")

FEMALE_FIRST = _words("""
    Sri Sri Sri Sri Endang Endang Dwi Dwi Tri Tri Eka Dewi Dewi Lilik Rina Yuli Ani Ika Dian
    Indah Umi Novi Linda Nanik Ninik Rini Tutik Wiwik Yayuk Ida Enny Erna Evi Heni Ratna Retno
    Rita Sari Sulis Susi Titik Yeni Yuni Yanti Anik Atik Diah Dyah Emi Endah Ike Ira Lusi
    Mamik Nining Nur Nur Puji Rahayu Sinta Tatik Weni Yuyun Lina Murni Nunuk Ning Kurnia Erni
    Hesti Ifa Isti Kusmiati Lely Mulyati Nanik Purwati Reni Rohmi Sutik Umu Winarsih
""")

FEMALE_FIRST_MODERN = _words("""
    Putri Putri Nabila Aulia Anisa Dinda Intan Novita Ayu Ayu Della Vina Febri Elsa Silvia
    Nadia Salsa Zahra Amelia Anggi Bella Cindy Citra Devi Dita Eva Fina Fitri Hana Icha Indri
    Jihan Kartika Laras Lia Maya Meli Nisa Niken Ovi Puspa Rara Rizka Sekar Tiara Vivi Wulan
    Yulia Zulfa Adelia Alfina Dela Erlin Fika Galuh Irma Lutfiana Melinda Nurul Oktavia Riska
""")

FEMALE_LAST = _words("""
    Lestari Lestari Lestari Wahyuni Wahyuni Rahayu Rahayu Handayani Wulandari Susanti Hidayah
    Aminah Purwanti Rahmawati Kurniawati Setyowati Utami Astuti Astuti Hartati Ningsih Ningsih
    Fitriani Yuliana Susilowati Sulistyowati Suryani Indarti Mulyani Widayati Wijayanti
    Agustina Andriani Ariyani Ernawati Herawati Hastuti Indrawati Kusumawati Lestariningsih
    Marlina Nurhayati Nuraini Purnamasari Puspitasari Retnowati Rohmawati Setiyaningsih
    Sulistiani Supriyati Winarsih Yuniarti Zulaikha Mariyani Wahyuningsih Rahmaniyah Sundari
    Purwaningsih Sulistyorini Widyaningsih Palupi Sriwahyuni Ambarwati Kristiani
""")

FEMALE_LAST_MODERN = _words("""
    Putri Putri Safitri Safitri Ramadhani Anggraini Permatasari Puspitasari Maharani Oktaviani
    Novitasari Aprilia Nurhaliza Rahmadani Febriyanti Kusuma Pratiwi Agustin Anjani Cahyani
    Damayanti Fadilah Islamiyah Khoirunnisa Maulida Nirmala Pertiwi Salsabila Septiani Wardani
    Yuliani Ayuningtyas Kartikasari Larasati Rahmawati Lestari Wulandari Amalia Azzahra
    Nurhidayah Prameswari Saraswati
""")

# Weighted: "Siti" leads most Islamic women's names; "St." is how some forms shorten it.
FEMALE_ISLAMIC_LEAD = ("Siti",) * 10 + ("St.",) + ("Nur",) * 3 + ("Umi",) * 2 + ("Nurul",) * 2

FEMALE_ISLAMIC = _words("""
    Aminah Aminah Fatimah Fatimah Khotimah Maisaroh Rohmah Hidayah Hidayah Zulaikha Mukaromah
    Masruroh Badriyah Munawaroh Nurjanah Romlah Muawanah Mudrikah Khoiriyah Khasanah Hasanah
    Chasanah Mutmainah Musyarofah Sholikhah Solikhah Istiqomah Fadilah Qomariyah Rukayah
    Rofiah Sa'adah Ulfa Umayah Zubaidah Zainab Aisyah Halimah Hamidah Jamilah Latifah Mahmudah
    Maimunah Marfu'ah Mas'udah Muflikhah Munifah Nafisah Rahmah Rohimah Salamah Sofiyah
    Syarifah Umiyati Rohmatin Wasilah Azizah Anifah Ni'mah Kholifah Chotijah Muslimah Rodiyah
""")

# Local birth places ("Kabupaten" dropped, as people write them), weighted towards the
# regency itself and its neighbours.
BIRTH_PLACE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("Tulungagung", 62),
    ("Kediri", 6),
    ("Blitar", 6),
    ("Trenggalek", 5),
    ("Surabaya", 3),
    ("Malang", 3),
    ("Nganjuk", 2),
    ("Ponorogo", 2),
    ("Jombang", 1),
    ("Madiun", 1),
    ("Pacitan", 1),
    ("Sidoarjo", 1),
    ("Lamongan", 1),
    ("Mojokerto", 1),
    ("Bojonegoro", 1),
    ("Banyuwangi", 1),
    ("Magetan", 1),
    ("Ngawi", 1),
    ("Jakarta", 1),
)

# Other East Java regencies a worker's NIK may come from (first registered there, moved
# since), with the birth place people from there usually write. Their districts 01-10 exist
# in data/wilayah/districts.csv (checked by tests/demo).
OTHER_REGENCIES: tuple[tuple[str, str], ...] = (
    ("35.03", "Trenggalek"),
    ("35.05", "Blitar"),
    ("35.06", "Kediri"),
    ("35.15", "Sidoarjo"),
    ("35.78", "Surabaya"),
)

# Hamlet (dusun) names, "Krajan" (the old village core) being in nearly every village.
DUSUN_NAMES = _words("""
    Krajan Krajan Krajan Krajan Sumberejo Sukorejo Ngemplak Kauman Karanganyar Tegalrejo
    Sidomulyo Ngrejo Kedungsari Jatisari Gondang Bendo Kebonsari Sumbersari Gedangan Tanjung
    Sidorejo Ngasinan Plosorejo Mojosari Wonorejo Karangrejo Banaran Pucung Ngadirejo Dadapan
    Klampok Jambean Pakel Bulu Dukuh Dawuhan Setono Kalangan Ringinsari Sambirejo Sumberagung
    Jetis Kepuh Kademangan Tempel Cangkring Kedungringin Ngrowo Bakalan Balong Bangunrejo
    Boro Caruban Dermo Jambu Kalipang Kedunglurah Kenongo Ngepeh Ngrance Pojok Rejosari
    Sanan Sawahan Tawangsari Tenggong Winong
""")

# Street names as they appear in town addresses (heroes, flowers).
STREET_NAMES: tuple[str, ...] = (
    "Mayor Sujadi", "Pahlawan", "Diponegoro", "Sudirman", "Panglima Sudirman",
    "Ki Hajar Dewantara", "Kartini", "Supriyadi", "Wahid Hasyim", "Teuku Umar", "Imam Bonjol",
    "Ahmad Yani", "A. Yani", "Gatot Subroto", "Hasanudin", "Pattimura", "Kapten Kasihin",
    "I Gusti Ngurah Rai", "Yos Sudarso", "WR. Supratman", "Agus Salim", "Basuki Rahmat",
    "Cut Nyak Dien", "Dr. Wahidin", "Sultan Agung", "MT. Haryono", "Letjen Suprapto",
    "Pangeran Antasari", "Mastrip", "Kenanga", "Melati", "Mawar", "Anggrek", "Flamboyan",
    "Cempaka", "Dahlia", "Sawo", "Manggis", "Durian", "Pemuda", "Merdeka", "Kalimantan",
    "Sumatera", "Jayeng Kusuma", "KH. Hasyim Asy'ari", "Soekarno-Hatta", "Raya Ngantru",
)  # fmt: skip

HOUSING_ESTATES: tuple[str, ...] = (
    "Griya Permata", "Bumi Mas", "Puri Kencana", "Graha Asri", "Villa Sengon", "Pesona Alam",
    "Griya Sejahtera", "Taman Indah",
)  # fmt: skip

# Mobile prefixes, weighted roughly by market share in East Java (Telkomsel leads).
PHONE_PREFIXES = _words("""
    0812 0812 0812 0812 0813 0813 0813 0821 0821 0822 0822 0823 0852 0852 0853 0853 0811 0851
    0856 0856 0857 0857 0858 0815 0816 0814 0817 0818 0819 0859 0877 0878 0831 0832 0833 0838
    0895 0896 0897 0898 0899 0881 0882 0883 0885 0887
""")

# Share of men by occupation keyword (lower case, first match wins, so specific before
# general): informal work in East Java is strongly split by sex. Anything else: DEFAULT.
OCCUPATION_MALE_SHARE: tuple[tuple[str, float], ...] = (
    ("rokok", 0.15),
    ("rumah tangga", 0.08),
    ("posyandu", 0.03),
    ("jahit", 0.35),
    ("pijat", 0.45),
    ("pedagang", 0.45),
    ("seni", 0.5),
    ("pengrajin", 0.5),
    ("ngaji", 0.55),
    ("buruh tani", 0.55),
    ("nelayan", 0.97),
    ("becak", 0.98),
    ("ojek", 0.95),
    ("sopir", 0.98),
    ("kusir", 0.99),
    ("kuli", 0.9),
    ("tukang", 0.95),
    ("montir", 0.97),
    ("las", 0.98),
    ("penambang", 0.95),
    ("parkir", 0.9),
    ("kurir", 0.85),
    ("penjaga", 0.95),
    ("marbot", 0.97),
    ("ketua", 0.9),
    ("perangkat", 0.8),
    ("petani", 0.75),
)
DEFAULT_MALE_SHARE = 0.6
