"""Built-in word lists: people's names and the university's schools, departments and subjects.

Names are common ones from many backgrounds, combined at random: plausible, and obviously
synthetic once paired with `example.ac.uk` addresses. A few carry accents or apostrophes on purpose.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE = _words(
    "Olivia Amelia Isla Ava Mia Grace Sophia Lily Freya Emily Ella Chloé Zoë Aoife Niamh Siân Priya "
    "Aisha Fatima Maryam Mei Yuki Ngozi Chiamaka Amara Leila Hana Sofia Maja Zuzanna Ananya Jessica "
    "Hannah Rebecca Laura Megan Bethan Ffion Eilidh Roisin Imogen Harriet Layla Zainab Precious"
)
MALE = _words(
    "Oliver George Noah Arthur Leo Harry Oscar Jack Charlie Jacob Thomas James William Rhys Dafydd "
    "Callum Seán Ciarán Mohammed Ahmed Yusuf Omar Ibrahim Arjun Rohan Wei Jun Kwame Chinedu Tunde "
    "Oluwaseun Mateo José Luca Jakub Kacper Piotr Andrei Daniel Samuel Joshua Ethan Kieran Owen Ravi"
)
LAST = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
    "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner "
    "Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott "
    "Phillips Watson Khan Ahmed Ali Hussain Begum Singh Kaur Sharma Das Chen Wang Li Zhang Liu Nguyen "
    "Tran Kim Park Okafor Adeyemi Mensah Owusu Mwangi Nowak Kowalski Wiśniewska Popescu García "
    "Fernández Rossi Müller Murphy O'Brien O'Connor McCarthy Kelly Byrne MacDonald Campbell Stewart"
)

# School, its departments, each with (code, name, two UG course titles, one PG course title, small
# group teaching type, subject words used to name modules).
SCHOOLS = (
    (
        "School of Health & Psychological Sciences",
        (
            ("PSY", "Psychology", ("BSc (Hons) Psychology", "BSc (Hons) Psychology with Counselling"),
             "MSc Health Psychology", "SEM",
             ("Cognition", "Social Psychology", "Developmental Psychology", "Biological Psychology",
              "Research Methods", "Psychopathology", "Health Behaviour", "Perception")),
            ("NUR", "Nursing & Midwifery", ("BSc (Hons) Adult Nursing", "BMid (Hons) Midwifery"),
             "MSc Advanced Clinical Practice", "TUT",
             ("Clinical Skills", "Pharmacology", "Public Health", "Anatomy & Physiology",
              "Evidence-Based Practice", "Maternal Health", "Person-Centred Care", "Leadership in Care")),
            ("OPT", "Optometry & Visual Sciences", ("BSc (Hons) Optometry", "BSc (Hons) Orthoptics"),
             "MSc Clinical Optometry", "LAB",
             ("Visual Optics", "Ocular Disease", "Binocular Vision", "Contact Lenses",
              "Low Vision", "Clinical Refraction", "Ocular Anatomy", "Paediatric Eye Care")),
        ),
    ),
    (
        "School of Science & Technology",
        (
            ("CSC", "Computer Science", ("BSc (Hons) Computer Science", "BSc (Hons) Software Engineering"),
             "MSc Data Science", "LAB",
             ("Programming", "Algorithms", "Databases", "Operating Systems", "Machine Learning",
              "Computer Networks", "Software Design", "Cyber Security")),
            ("MTH", "Mathematics", ("BSc (Hons) Mathematics", "BSc (Hons) Mathematics & Finance"),
             "MSc Mathematical Modelling", "TUT",
             ("Calculus", "Linear Algebra", "Probability", "Statistics", "Real Analysis",
              "Differential Equations", "Numerical Methods", "Financial Mathematics")),
            ("ENG", "Engineering", ("BEng (Hons) Civil Engineering", "BEng (Hons) Mechanical Engineering"),
             "MSc Renewable Energy Engineering", "LAB",
             ("Structures", "Fluid Mechanics", "Thermodynamics", "Materials", "Engineering Design",
              "Geotechnics", "Control Systems", "Engineering Mathematics")),
        ),
    ),
    (
        "School of Arts & Social Sciences",
        (
            ("ENL", "English", ("BA (Hons) English Literature", "BA (Hons) Creative Writing"),
             "MA Victorian Studies", "SEM",
             ("Shakespeare", "The Novel", "Poetry", "Modernism", "Literary Theory",
              "Romanticism", "Postcolonial Writing", "Drama")),
            ("HIS", "History", ("BA (Hons) History", "BA (Hons) History & Politics"),
             "MA Public History", "SEM",
             ("Medieval Europe", "Early Modern Britain", "Empire", "The Cold War", "Historiography",
              "Social History", "Political Thought", "Modern Britain")),
            ("SOC", "Sociology", ("BSc (Hons) Sociology", "BSc (Hons) Criminology"),
             "MSc Social Research Methods", "SEM",
             ("Social Theory", "Inequality", "Crime & Justice", "Media & Society", "Research Design",
              "Urban Sociology", "Migration", "Gender & Society")),
        ),
    ),
    (
        "Business School",
        (
            ("ACF", "Accounting & Finance", ("BSc (Hons) Accounting & Finance",
                                              "BSc (Hons) Banking & Finance"),
             "MSc Investment Management", "WKS",
             ("Financial Accounting", "Corporate Finance", "Auditing", "Taxation", "Econometrics",
              "Financial Markets", "Management Accounting", "Risk Management")),
            ("MGT", "Management", ("BSc (Hons) Business Management", "BSc (Hons) International Business"),
             "MSc Management", "SEM",
             ("Organisational Behaviour", "Marketing", "Operations", "Strategy", "Entrepreneurship",
              "Human Resource Management", "Business Ethics", "Supply Chains")),
        ),
    ),
    (
        "School of Law",
        (
            ("LAW", "Law", ("LLB (Hons) Law", "LLB (Hons) Law with Criminology"),
             "LLM International Commercial Law", "TUT",
             ("Contract Law", "Criminal Law", "Public Law", "Tort", "Land Law", "Equity & Trusts",
              "EU Law", "Legal Skills")),
        ),
    ),
)  # fmt: skip

# Module name patterns by year of study (7 = postgraduate); `{}` is a subject word.
MODULE_PATTERNS = {
    1: ("Introduction to {}", "Foundations of {}", "{} 1"),
    2: ("{} in Practice", "Intermediate {}", "{} 2"),
    3: ("Advanced {}", "Contemporary Issues in {}", "{}: Independent Study"),
    7: ("{}: Theory & Research", "Advanced Topics in {}", "{} in Context", "Professional {}"),
}
SHARED_MODULE = {1: "Academic Skills for {}", 2: "Research Methods in {}", 3: "Dissertation in {}"}
