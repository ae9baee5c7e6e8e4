"""Citations used by the demo data, written once so every row cites them the same way."""

SEED = (
    "Government of Kazakhstan press release: Deputy Prime Minister Kanat Bozumbayev's working trip to "
    'Mangystau region, 2024 ("Kanat Bozumbayev gives series of instructions to solve perennial problems '
    'in Mangystau region")'
)
STAT_2026 = "National statistics bureau, as reported by lada.kz (January 2026)"
STAT_2023 = "National statistics bureau, population on 1 January 2023"
STAT_2019 = "National statistics bureau, population 2019"
STAT_2018 = "National statistics bureau, population 2018 (city with its villages)"
INFORM_JUN_2023 = (
    "Kazinform (inform.kz), 2 June 2023: governor's briefing at the Central Communications Service"
)
GOV_JUL_2023 = "Government of Kazakhstan, July 2023: water deficit of 77,200 m³/day"
KMG_KENDERLI_2023 = (
    "The Astana Times, 4 September 2023: construction of the Kenderli (Tokymak area, Karakiyan district) "
    "desalination plant by KazMunayGas' subsidiary Ozenmunaygas"
)
KENDERLI_2025 = "Akimat of Mangystau region, 2025: first water August 2025; commissioned 27 October 2025"
MAEK_2024 = "Report of July 2024: MAEK desalination capacity 52,000 m³/day; a 6,000 m³/day unit added by 2025"
CASPIY_2025 = "Report of 2025: Caspiy 20,000 -> 40,000 m³/day done, serving about 180,000 people"
WATER_DEC_2025 = "December 2025: the akim reported no water deficit recorded that year"
CASPIY_PLAN_2028 = (
    "Report of December 2025: plan to 2028 (Caspiy to 100,000 m³/day; 114 bn KZT for three projects)"
)
KOS_2025 = "Report of October 2025: KOS-2, 3.2 bn KZT allocated in 2024; completion promised by end of 2025"
KOS1_2023 = "Report of 2023: KOS-1 design 72,000 m³/day, actual load 20,000-24,000 m³/day, 80-85% worn"
HEAT_2025 = (
    "Reports of 2024-2025: Aktau main heat network 47.7 km; 11.5 km replaced in 2024, about 10 km in 2025; "
    "the programme finished in September 2025, a year early; 5 bn KZT (2024) and 3.6 bn KZT for 9.2 km (2025); "
    "city network 562 km at 79% wear, 75% expected after the project"
)
SCHOOLS_2023 = (
    "Comfortable School programme plan (June 2023): 21 schools with 22,000 places for 2023-25 (8 Aktau, "
    "3 Zhanaozen, 2 Beineu, 2 Mangystau district, 6 Munaily): 13 schools / 12,900 places in 2024 and "
    "8 / 9,100 in 2025"
)
SCHOOLS_2025 = "Report of September 2025: five schools opened on 1 September 2025"
SCHOOLS_2021 = "Report of 2021: 15 three-shift schools with 34,300 pupils in the 2020/21 school year"
DOCTORS_2021 = "Report of 2021: shortage of 228 doctors at the end of 2021"
FERTILISER_2024 = (
    "Report of April 2024 on a nitrogen-fertiliser complex in Mangystau: 660,000 t ammonia, 577,500 t urea, "
    "500,000 t ammonium nitrate a year, 700 jobs, launch in 2028, 637.5 bn KZT (the report does not name "
    "the company)"
)
KOSHKARATA = (
    "Reports 2021-2025 on the Koshkar-Ata tailing dump: 7,790 ha, about 105 Mt of waste, 3 km from Aktau; "
    "266.2 ha reclaimed in 2021, 335.9 ha planned for 2022; reclaimed area later cut from 4,279 to 1,344 ha; "
    "from October 2025 one million saxaul seedlings on 640 ha (about 600 mn KZT over three years)"
)
COORDINATES = "Settlement coordinates as given in the demo facts (mangystau-facts.md)"

NOT_PUBLIC_CODES = "Codes are Baqylau's own: the plan's numbering of its 118 measures is not public."
