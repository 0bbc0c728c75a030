//! Name lists with the variety a custody suite in England and Wales meets: common English,
//! Welsh, Irish and Irish Traveller, South Asian, African and Caribbean, Eastern European,
//! hyphenated and apostrophe names.

pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "Khan", "Hussain", "Ahmed", "Ali", "Begum", "Akhtar", "Iqbal", "Mahmood", "Rahman", "Shah",
    "Kaur", "Singh", "Sharma", "Chaudhry", "Mistry", "Okafor", "Adeyemi", "Mensah", "Campbell", "Francis",
    "Kowalski", "Nowak", "Wiśniewski", "Lewandowski", "Popescu", "Ivanov", "Petrov", "Horvath", "Kovacs", "Novak",
    "O'Brien", "O'Connor", "O'Neill", "McDonagh", "Ward", "Connors", "Joyce", "Maughan", "Doherty", "Murphy",
    "Llewellyn", "Pritchard", "ap Rhys", "Griffiths", "Price", "Powell", "Bowen", "Vaughan", "Rees", "Jenkins",
    "Smith-Jones", "Hughes-Davies", "Bennett-Ali", "Armstrong-Jones", "Fox-Pitt", "D'Souza", "D'Arcy", "McAllister", "MacLeod", "Fitzgerald",
];

pub const FEMALE_FORENAMES: &[&str] = &[
    "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Claire", "Kelly", "Lisa", "Nicola", "Amy",
    "Jade", "Chloe", "Stacey", "Michelle", "Donna", "Aisha", "Fatima", "Zainab", "Amira", "Priya",
    "Sian", "Cerys", "Ffion", "Siobhan", "Bridget", "Mary", "Agnieszka", "Katarzyna", "Ioana", "Chidinma",
];

pub const MALE_FORENAMES: &[&str] = &[
    "David", "Michael", "Paul", "Mark", "Lee", "Craig", "Dean", "Wayne", "Darren", "Jason",
    "Daniel", "Ryan", "Liam", "Connor", "Jamie", "Mohammed", "Muhammad", "Imran", "Asif", "Tariq",
    "Rhys", "Gareth", "Dafydd", "Patrick", "Sean", "Michael John", "Tomasz", "Piotr", "Andrei", "Kwame",
];
