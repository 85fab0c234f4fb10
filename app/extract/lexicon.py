"""The word lists the rules read: reporting verbs and their stances, hedges, and NP vocabulary."""

from app.models.enums import Stance


def wordset(words: str) -> frozenset[str]:
    """A set of the whitespace-separated words of WORDS."""
    return frozenset(words.split())


# Reporting verbs (every inflection the rules look for) and the stance each one signals.
# "said" says nothing about the stance: the content may still make it a denial.
_VERBS: dict[Stance, str] = {
    Stance.asserts: """
        say says said saying tell tells told telling add adds added adding state states stated
        stating explain explains explained explaining note notes noted noting argue argues argued
        arguing insist insists insisted insisting maintain maintains maintained maintaining claim
        claims claimed claiming warn warns warned warning write writes wrote writing announce
        announces announced declare declares declared reiterate reiterates reiterated stress
        stresses stressed emphasise emphasised emphasize emphasized urge urges urged urging
        predict predicts predicted reveal reveals revealed reply replies replied respond responds
        responded answer answered recall recalls recalled report reports reported tweet tweeted
        posted caution cautions cautioned complain complains complained promise promised promises
        vow vowed vows pledges
        pledge pledged allege alleges alleged accuse accuses accused repeat repeated repeating
        describe describes described call calls called mention mentioned assert asserts asserted
        observe observed quote quoted believe believes estimated signalled signaled brand
        brands branded label labels labelled labeled continued continues calling describing
        branding labelling indicate indicates indicated highlight highlights highlighted
        term terms termed terming clarify clarifies clarified""",
    Stance.confirms: """confirm confirms confirmed confirming acknowledge acknowledges
        acknowledged acknowledging admit admits admitted admitting concede concedes conceded
        verify verified""",
    Stance.denies: """deny denies denied denying dismiss dismisses dismissed dismissing reject
        rejects rejected rejecting refute refutes refuted rebut rebutted dispute disputes
        disputed contradict contradicted disagree disagrees disagreed rebuff rebuffs rebuffed
        rubbished rubbishes repudiate repudiates repudiated disavow disavows disavowed contest
        contests contested discount discounts discounted""",
    Stance.suggests: "suggest suggests suggested suggesting hint hints hinted imply implied",
    Stance.questions: "question questions questioned questioning doubt doubts doubted",
}
CUE_STANCE: dict[str, Stance] = {w: s for s, words in _VERBS.items() for w in words.split()}

# Verbs that report speech only with an object phrase after them ("rejected the report"),
# never as "was rejected by"; and verbs that need "as" ("described X as Y").
NEEDS_REPORT_OBJECT = wordset(
    """reject rejects rejected rejecting dispute disputes disagree disagrees disagreed rebuff
    rebuffs rebuffed rubbished rubbishes repudiate repudiates repudiated disavow disavows
    disavowed contest contests contested"""
)
REPORT_NOUNS = wordset(
    """report reports claim claims allegation allegations accusation accusations suggestion
    suggestions idea story stories charge charges account accounts figures criticism rumours
    rumors notion assertion remarks comments warnings concerns fears"""
)
NEEDS_AS = wordset(
    """describe describes described describing call calls called calling brand brands branded
    branding label labels labelled labeled labelling discount discounts discounted term terms
    termed terming"""
)
# Say-verbs that can come before their speaker: "..., said Putin."
INVERTIBLE = wordset(
    """said says added adds told explained noted argued insisted warned wrote replied answered
    recalled continued asked stressed cautioned conceded confirmed acknowledged read reads
    say"""
)
# Participles that continue the previous speaker's statement: "..., adding that ...".
PARTICIPLES = wordset(
    """saying adding noting arguing insisting maintaining claiming warning explaining stressing
    warning stating telling describing calling denying dismissing rejecting confirming
    acknowledging admitting suggesting questioning repeating"""
)

# Hedges: the reporter's own ("allegedly") keep the stance; the speaker's ("appeared", "could")
# make an assertion a suggestion.
REPORTER_HEDGES = wordset("allegedly reportedly purportedly supposedly")
SPEAKER_HEDGES = wordset(
    """appear appears appeared appearing seem seems seemed seeming apparently likely unlikely
    probably possibly perhaps may might could"""
)
# Words in a quotation or a reported clause that make a plain "said" a denial.
DENIAL_WORDS = wordset(
    """untrue false falsehood falsehoods fake lie lies lying nonsense baseless groundless
    unfounded fabricated fabrication absurd ridiculous rubbish fiction fantasy innocent
    defamatory slanderous libellous libelous smear stupid fictional laughable preposterous
    nonsensical mischievous concocted propaganda fabrications"""
)
DENIAL_PHRASES = (
    "not true",
    "made up",
    "pure speculation",
    "mere speculation",
    "just speculation",
    "false information",
    "never happened",
    "no truth",
    "zero truth",
    "figment of",
    "no basis",
    "no foundation",
    "without foundation",
    "without basis",
    # "categorically" denies only with a word of denial after it, not in "categorically support"
    "categorically not",
    "categorically deny",
    "categorically denies",
    "categorically denied",
    "categorically reject",
    "categorically rejects",
    "categorically rejected",
    "categorically wrong",
    "nothing wrong",
    "no wrongdoing",
    "not guilty",
    "not the case",
    "not correct",
    "not accurate",
    "without merit",
    "no merit",
    # Blame or a secret denied outright.
    "not to blame",
    "not at fault",
    "nothing to hide",
    # Lawful or proper conduct, said in answer to an accusation, denies the wrongdoing.
    "in line with the law",
    "within the law",
    "acted lawfully",
    "acted properly",
    "acted in good faith",
    "followed the rules",
    "followed all the rules",
    "complied with",
    "fully compliant",
    "above board",
)
# Negating these nouns states a position, not a denial of an event ("had no intention of").
INTENTION_NOUNS = wordset("intention intentions desire wish interest appetite")
MODALS = wordset("will would could can may might should must shall")
NEGATORS = wordset("not never no n't nothing nobody none neither nor")
# A negated verb that is itself negative reads as an assertion ("we have never refused").
NEGATIVE_VERBS = wordset(
    """refused refuse rejected reject denied deny opposed oppose failed fail stopped stop
    ceased"""
)
# Negating these states a position, not a denial of an event ("did not want", "does not believe").
ATTITUDE_VERBS = wordset(
    """want wants wanted wish intend intends intended believe believes believed think thinks
    thought expect expects expected plan plans like need needs seem seems seemed"""
)
PAST_AUXILIARIES = wordset("had has have was were did there")

# Noun phrases: determiners, quantities, and words allowed inside a speaker's NP.
DETERMINERS = wordset("the a an this that these those some any another other both all each")
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": None,
    "many": None,
    "some": None,
    "multiple": None,
    "few": None,
    "a few": None,
}
ORDINALS = wordset("second third fourth fifth sixth another other")
POSSESSIVE_PRONOUNS = wordset("his her its their our my your")
SUBJECT_PRONOUNS = wordset("he she they it we")
# Heads of descriptions that name a speaker without a name: "a US official", "the company".
PERSON_ROLES = wordset(
    """spokesman spokeswoman spokesperson minister president official officer source person
    diplomat executive chief director analyst coach manager ceo chairman chairwoman chair
    secretary adviser advisor aide lawyer attorney prosecutor judge doctor researcher
    scientist economist expert investor insider member representative negotiator player
    captain striker goalkeeper physician nurse regulator mayor governor senator lawmaker
    councillor councilor leader head founder owner agent scout boss partner professor
    teacher witness resident observer critic commander general officer envoy ambassador
    premier chancellor strategist consultant trader banker broker campaigner activist
    organiser organizer fan journalist host reporter editor correspondent columnist writer
    author commentator presenter anchor blogger sponsor deputy colleague teammate friend
    neighbour neighbor relative father mother wife husband son daughter brother sister victim
    survivor patient parent worker employee staffer organiser organizer inspector investigator
    auditor engineer pilot driver farmer soldier student lecturer surgeon midwife pharmacist
    accountant architect planner veteran businessman businesswoman billionaire entrepreneur
    tycoon magnate"""
)
PLURAL_ROLES = wordset(
    """sources officials people persons diplomats executives analysts investors insiders
    members representatives aides experts scientists researchers economists observers
    critics residents witnesses doctors lawyers leaders councillors councilors officers
    traders bankers brokers campaigners activists fans players authorities media
    representatives managers workers employees staff parents patients victims families
    neighbours neighbors teachers nurses organisers organizers colleagues teammates friends
    relatives survivors family employers unions governments companies firms ministries clubs
    parties countries sides teams"""
) | {role + "s" for role in PERSON_ROLES if not role.endswith(("s", "man", "woman"))}
ORG_ROLES = wordset(
    """company firm group ministry office government administration commission agency union
    club team board council committee party association federation league court police
    department authority regulator bank organisation organization institute foundation fund
    consultancy statement newspaper paper agency broadcaster outlet website channel station
    airline carrier insurer lender retailer maker manufacturer developer chamber army
    military embassy presidency cabinet campaign carmaker automaker brewer brewery miner
    operator supplier producer hospital clinic school charity museum employer corporation
    conglomerate multinational chain giant daily tabloid magazine navy force guard coastguard
    parliament senate congress watchdog tribunal directorate secretariat panel service
    column"""
)
MODIFIERS = wordset(
    """above aforementioned same senior top former chief deputy unnamed anonymous diplomatic
    military government industry western eastern local independent national general
    political regional provincial european international foreign federal state junior acting
    interim assistant associate executive managing financial legal technical scientific
    medical police security intelligence defence defense health trade finance economic
    economy public private leading prominent veteran longtime long-time close trusted
    well-placed high-ranking high-level mid-level infectious disease transport parliamentary
    opposition ruling company club team union press communications media news wire
    unidentified"""
)
# Titles that come before a name and are not part of it.
TITLES = wordset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady president
    prime minister secretary chancellor king queen pope governor mayor senator sen. rep.
    representative judge general gen. colonel col. captain capt. chief director deputy vice
    foreign defence defense health trade finance interior justice economy economic education
    environment energy transport home state foreign-minister councillor ambassador
    commissioner chairman chairwoman ceo coach manager spokesman spokeswoman spokesperson
    former acting"""
)
HONORIFIC_GENDER = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "king": "m",
    "queen": "f",
}
ROLE_GENDER = {
    "spokesman": "m",
    "spokeswoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "businessman": "m",
    "businesswoman": "f",
}
# Capitalised words that end a name or mark an organisation, by the kind they suggest.
ORG_WORDS = wordset(
    """unit commission ministry airlines airline air rovers city united pharma biosciences
    capital securities homes properties strategy association union party agency organization
    organisation office council group bank corp corporation inc ltd company club fc
    institute university foundation fund federation league committee board chamber authority
    service services forces army navy police court department holdings partners motors
    energy systems technologies labs industries"""
)
GOVERNMENT_WORDS = wordset(
    """kremlin government administration ministry commission presidency cabinet parliament
    congress senate embassy"""
)
OUTLET_WORDS = wordset(
    """news times post herald wire radio tv journal gazette telegraph guardian courier ledger
    observer echo sport press tribune daily agency broadcasting television magazine review
    chronicle"""
)
KNOWN_OUTLETS = wordset(
    """reuters ap afp bloomberg bbc cnn tass ria interfax xinhua axios politico"""
)
CAPITALS = wordset(
    """moscow washington kyiv kiev beijing london paris berlin brussels tokyo delhi ankara
    tehran jerusalem cairo riyadh"""
)
# Sentence openers that are capitalised but never part of a speaker's name.
CONNECTIVES = wordset(
    """however but and meanwhile yet so also still now then separately earlier later instead
    moreover furthermore nevertheless nonetheless indeed in on at for with from after before
    during under asked speaking according while although though when if as since because
    within over despite amid amidst throughout following without until unlike among across"""
)
TIME_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december yesterday today tonight earlier
    later week month year morning afternoon evening night"""
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Adverbs and auxiliaries between a speaker and the verb: "the Kremlin on Wednesday denied".
BETWEEN_WORDS = wordset(
    """also later previously again repeatedly then separately publicly privately flatly firmly
    strongly categorically quickly immediately initially subsequently has have had would
    will did does do not never only once further earlier today yesterday reportedly
    allegedly himself herself itself themselves just recently angrily bluntly quietly openly
    first"""
)
# Lowercase words a speaker's description may contain before its head: "a fourth diplomatic source".
FIRST_NAMES_F = wordset(
    """mary anna ana maria sofia sophia agnes leila helena clara grace rosa ingrid kaja olena
    priya amara ruth nadia hannah sarah emma olivia elena irina natalia julia laura lucy
    kate katherine catherine jane janet ursula kamala hillary angela theresa nicola marine
    giorgia helene hélène"""
)
FIRST_NAMES_M = wordset(
    """john james david michael robert richard thomas tomas daniel paul mark peter samuel
    marcus felix jonas liam ivan erik pal pål kane dmitry vladimir volodymyr joe jake yury
    sergei sergey antony donald boris emmanuel olaf recep xi narendra benjamin"""
)
