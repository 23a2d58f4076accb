"""The demo rules library: the federation's 34 work rules (制度汇编) with their versions.

Texts are built from phrase templates (a rule's own articles, general articles shared by all rules,
amendments that later versions add), so the seed stays small: 第一章 总则 / 第一条 …, 5 to 12
articles. About 20 rules have 2 to 4 versions; two old rules are superseded by the rules that replaced
them; the reimbursement rule has a version that takes effect next month (upcoming)."""

import datetime

from django.utils import timezone

from .models import Rule, RuleVersion
from .rules_library import search_text_for

C = Rule.Category
P = Rule.Programme

# number, title, category, programme, purpose, scope, department, the rule's own articles
RULES = [
    (
        "HNZGH-ZZ-01",
        "机关月度办公会议制度",
        C.ORGANISATION,
        P.NONE,
        "规范机关议事决策程序，提高工作效率",
        "区总工会机关各部室和直属单位",
        "办公室",
        [
            "机关月度办公会议原则上每月第一周召开，由主席或者主持日常工作的副主席召集和主持，机关全体干部参加。",
            "会议主要内容是：通报上月工作完成情况，研究部署本月重点工作，协调解决跨部室工作事项，传达学习上级工会会议和文件精神。",
            "议题由各部室于会前三个工作日报办公室汇总，经主持人同意后列入会议议程。未列入议程的事项原则上不在会上讨论。",
            "会议由办公室指定专人记录，形成会议纪要，经主持人审签后印发，并跟踪督办会议确定事项的落实情况。",
        ],
    ),
    (
        "HNZGH-ZZ-02",
        "工会干部教育培训制度",
        C.ORGANISATION,
        P.NONE,
        "建设高素质专业化工会干部队伍",
        "区总工会机关干部、基层工会主席和专兼职工会干部",
        "组织部",
        [
            "工会干部教育培训坚持按需施教、学用一致，每年制定年度培训计划，报区总工会主席办公会议审定后实施。",
            "新任基层工会主席应当在任职后六个月内参加任职培训；专兼职工会干部每年参加集中培训的时间一般不少于二十四学时。",
            "培训形式包括集中轮训、专题讲座、上挂锻炼、外出考察和网络学习等，培训情况记入干部教育培训档案，作为考核和使用的重要依据。",
        ],
    ),
    (
        "HNZGH-ZZ-03",
        "职工之家建设验收管理办法",
        C.ORGANISATION,
        P.WORKERS_HOMES,
        "深化职工之家建设，推动基层工会规范化建设",
        "区内已建立工会组织的企事业单位和联合工会",
        "组织部",
        [
            "职工之家建设标准包括组织健全、民主管理、阵地建设、活动开展和职工满意度五个方面，实行百分制考核，八十分以上为合格。",
            "阵地建设应当具备职工书屋、健身活动室、爱心妈咪小屋等基本设施，场地面积和设施配置与单位职工人数相适应。",
            "验收按照基层工会自评、片组初审、区总工会组织验收的程序进行。验收合格的，命名为合格职工之家，并按规定推荐申报上级先进职工之家。",
            "已命名的职工之家实行动态管理，每三年复查一次；复查不合格且整改后仍不达标的，撤销命名。",
        ],
    ),
    (
        "HNZGH-ZZ-04",
        "网格化片组管理办法",
        C.ORGANISATION,
        P.AREAS,
        "完善基层工会工作网格，推动工会工作全覆盖",
        "区总工会划定的各网格片组及片组内的基层工会",
        "组织部",
        [
            "全区基层工会按照地域相近、行业相关的原则划分为若干片组，每个片组确定一家牵头工会和一名联络员。",
            "片组牵头工会负责组织片组内工会开展联谊活动、经验交流和业务培训，协助区总工会做好工会组建、会费收缴和困难职工帮扶等工作。",
            "片组联络员每月收集汇总片组内工会工作动态，及时报告职工队伍中的苗头性、倾向性问题。",
        ],
    ),
    (
        "HNZGH-ZZ-05",
        "基层工会组建和会员发展工作制度",
        C.ORGANISATION,
        P.REGISTRY,
        "扩大工会组织覆盖面，最大限度地把职工组织到工会中来",
        "区内各类企业、事业单位和社会组织",
        "组织部",
        [
            "职工二十五人以上的单位应当建立基层工会委员会；不足二十五人的，可以单独建立，也可以与其他单位联合建立基层工会委员会。",
            "职工以个人身份申请加入工会，由本人填写入会申请书，经基层工会委员会审查批准后发给会员证，并录入会员实名制数据库。",
            "会员实名制信息应当每季度核对更新，会员调离、退休或者死亡的，基层工会应当在三十日内办理会籍变更手续。",
        ],
    ),
    (
        "HNZGH-ZZ-06",
        "基层工会换届选举工作规定",
        C.ORGANISATION,
        P.REGISTRY,
        "规范基层工会换届选举工作，保障会员民主权利",
        "区内各基层工会委员会",
        "组织部",
        [
            "基层工会委员会每届任期三年至五年，任期届满应当按期换届。因特殊情况需要提前或者延期换届的，应当报区总工会批准，延期时间一般不超过一年。",
            "基层工会委员会委员、主席、副主席候选人的产生，应当经过会员充分酝酿讨论，并报区总工会审查同意。",
            "选举采用无记名投票方式，候选人获得赞成票超过应到会人数半数的始得当选。选举结果报区总工会审批。",
        ],
    ),
    (
        "HNZGH-ZZ-07",
        "先进集体和先进个人评选表彰办法",
        C.ORGANISATION,
        P.HONOURS,
        "发挥先进典型的示范引领作用，规范评先评优工作",
        "区总工会组织开展和推荐申报的各类评选表彰",
        "组织部",
        [
            "评选表彰坚持公开、公平、公正，坚持面向基层、面向一线，一线职工和基层工会所占比例一般不低于百分之六十。",
            "评选按照基层推荐、资格审查、综合评审、会议研究、社会公示的程序进行，公示期不少于五个工作日。",
            "对在评选中弄虚作假的，一经查实即撤销其所获荣誉，收回证书，并取消其三年内参加评选的资格。",
        ],
    ),
    (
        "HNZGH-ZZ-08",
        "劳动模范管理服务办法",
        C.ORGANISATION,
        P.HONOURS,
        "做好劳动模范的管理和服务工作，弘扬劳模精神",
        "在本区工作或者居住的各级劳动模范和先进工作者",
        "组织部",
        [
            "区总工会建立劳动模范信息库，实行一人一档，每年走访慰问劳动模范，了解其工作和生活情况。",
            "对生活困难的劳动模范，按规定给予帮扶；每两年组织一次劳动模范健康体检和疗休养活动。",
        ],
    ),
    (
        "HNZGH-ZZ-09",
        "机关值班和请销假制度",
        C.ORGANISATION,
        P.NONE,
        "加强机关日常管理，保证机关工作正常运转",
        "区总工会机关全体工作人员",
        "办公室",
        [
            "机关实行节假日值班和领导带班制度，值班人员应当坚守岗位，认真做好值班记录，遇有重要情况及时报告带班领导。",
            "工作人员因事因病请假，一天以内由部室负责人批准，三天以内由分管领导批准，三天以上由主席批准。假满应当及时销假。",
            "工作人员应当按时上下班，因公外出应当在外出登记簿上登记去向和事由。",
        ],
    ),
    (
        "HNZGH-ZZ-10",
        "机关考勤管理制度",
        C.ORGANISATION,
        P.NONE,
        "严肃机关工作纪律",
        "区总工会机关工作人员",
        "办公室",
        [
            "机关实行签到考勤，由办公室每月汇总考勤情况并在机关内部公布。",
            "无故迟到、早退累计三次的，按旷工半天处理；旷工的，按照有关规定扣减绩效奖金。",
            "考勤结果作为年度考核和评先评优的参考依据，全年无缺勤的，在年度考核中予以加分。",
        ],
    ),
    (
        "HNZGH-ZZ-11",
        "档案管理制度",
        C.ORGANISATION,
        P.NONE,
        "加强工会档案的收集、整理和利用",
        "区总工会机关各部室形成的文书、会计、会员和声像档案",
        "办公室",
        [
            "机关各部室在工作中形成的具有保存价值的文件材料，应当在次年六月底前整理完毕，向办公室档案室移交归档。",
            "查阅档案应当履行登记手续；查阅涉及职工个人信息的档案，须经分管领导批准，不得擅自复制、摘抄或者对外提供。",
        ],
    ),
    (
        "HNZGH-CW-01",
        "工会经费（会费）收缴管理办法",
        C.FINANCE,
        P.DUES,
        "规范工会经费和会费收缴管理，保障工会工作经费",
        "区内已建立工会组织的单位和全体工会会员",
        "财务部",
        [
            "建立工会组织的单位按每月全部职工工资总额的百分之二向工会拨缴经费，由税务部门代收，按规定比例分成后返还基层工会。",
            "会员按本人每月工资收入的千分之五缴纳会费，由基层工会按月收缴，单位可以代扣代缴。",
            "基层工会应当每季度向区总工会报送会费收缴情况；连续三个月未缴纳会费的，基层工会应当了解原因并做好会员工作。",
            "会费全部留在基层工会使用，主要用于会员活动和会员教育，不得挪作他用。",
        ],
    ),
    (
        "HNZGH-CW-02",
        "基层工会会费收缴暂行办法",
        C.FINANCE,
        P.NONE,
        "做好基层工会会费收缴工作",
        "区内各基层工会",
        "财务部",
        [
            "会员会费由基层工会每半年收缴一次，收缴后开具会费收据。",
            "会费收缴情况每年向区总工会报告一次。",
            "基层工会应当建立会费收缴台账，逐人登记会员缴纳会费的月份和金额，做到账目清楚、手续完备。",
        ],
    ),
    (
        "HNZGH-CW-03",
        "财务报销管理制度",
        C.FINANCE,
        P.NONE,
        "加强财务管理，规范经费支出报销行为",
        "区总工会机关及直属单位的各项经费支出",
        "财务部",
        [
            "报销实行经办人、部室负责人、财务审核、分管领导审批的程序；单笔五千元以上的支出须经主席审批。",
            "报销应当提供真实、合法、有效的原始票据，票据内容与实际经济业务一致，并附相关审批单、合同或者活动方案。",
            "差旅费、会议费、培训费按照本区机关事业单位的标准执行，严禁超标准、超范围列支。",
        ],
    ),
    (
        "HNZGH-CW-04",
        "固定资产管理制度",
        C.FINANCE,
        P.NONE,
        "加强固定资产管理，防止工会资产流失",
        "区总工会机关及直属单位的房屋、车辆、办公设备和家具等固定资产",
        "财务部",
        [
            "单位价值在一千元以上、使用年限在一年以上的设备和物资，列入固定资产管理，建立资产卡片和台账，做到账、卡、物相符。",
            "固定资产每年年末全面清查盘点一次，盘盈、盘亏及报废处置应当按照规定权限报批后进行账务处理。",
        ],
    ),
    (
        "HNZGH-CW-05",
        "工会经费预算管理办法",
        C.FINANCE,
        P.NONE,
        "规范工会经费预算编制、执行和调整",
        "区总工会及所属基层工会的经费预算",
        "财务部",
        [
            "预算编制坚持收支平衡、统筹兼顾、保证重点的原则，不得编制赤字预算。",
            "年度预算经区总工会经费审查委员会审查、主席办公会议审议后执行；执行中确需调整的，应当按照原审批程序报批。",
        ],
    ),
    (
        "HNZGH-CW-06",
        "经费审查监督制度",
        C.FINANCE,
        P.NONE,
        "加强对工会经费收支和资产管理的审查监督",
        "区总工会及基层工会的经费收支和资产管理活动",
        "经费审查委员会办公室",
        [
            "经费审查委员会每年对工会经费预算执行情况和决算进行审查，并向会员代表大会报告审查结果。",
            "对基层工会的经费审查实行每年抽查、三年全覆盖，审查中发现的问题应当督促整改并跟踪落实。",
        ],
    ),
    (
        "HNZGH-GZ-01",
        "企业工会干部上挂锻炼管理办法",
        C.SECONDMENT,
        P.SECONDMENT,
        "培养锻炼企业工会干部，提升基层工会工作能力",
        "从区内企业工会选派到区总工会上挂锻炼的工会干部",
        "组织部",
        [
            "上挂锻炼人员应当是年龄在四十周岁以下、具有大专以上学历、从事工会工作一年以上的企业工会干部，由所在企业工会推荐、区总工会择优选用。",
            "上挂锻炼期限一般为一年，上挂干部每两周到区总工会值班一天，参与机关部室的日常工作和专项活动。",
            "上挂期间人事关系和工资福利待遇不变，由所在单位负责；区总工会按规定给予交通和误餐补助。",
            "上挂锻炼期满考核合格的，由区总工会颁发上挂锻炼证书，并向所在单位反馈考核情况。",
        ],
    ),
    (
        "HNZGH-GZ-02",
        "上挂干部考核评价办法",
        C.SECONDMENT,
        P.SECONDMENT,
        "客观评价上挂干部的锻炼表现",
        "在区总工会上挂锻炼的企业工会干部",
        "组织部",
        [
            "考核内容包括出勤值班、工作日志、参与活动、学习培训和工作实绩五个方面，采取平时考核与期满考核相结合的方式。",
            "考核结果分为优秀、合格和不合格三个等次。值班出勤率低于百分之八十的，不得评为合格。",
        ],
    ),
    (
        "HNZGH-GZ-03",
        "上挂干部值班和工作日志制度",
        C.SECONDMENT,
        P.SECONDMENT,
        "规范上挂干部的值班管理",
        "在区总工会上挂锻炼的企业工会干部",
        "组织部",
        [
            "值班安排按两周一个周期轮排，遇节假日顺延至下一个工作日，因故不能值班的应当提前向组织部请假并调换。",
            "上挂干部应当在值班当日填写工作日志，如实记录到岗离岗时间和参与的工作，由带教部室负责人确认。",
        ],
    ),
    (
        "HNZGH-BF-01",
        "困难职工帮扶和临时救助管理办法",
        C.ASSISTANCE,
        P.AID,
        "做好困难职工帮扶和临时救助工作，切实保障困难职工基本生活",
        "本区建立工会组织的单位中符合条件的困难职工家庭",
        "权益保障部",
        [
            "家庭月人均收入低于本区城乡居民最低生活保障标准的，列为深度困难职工；低于最低生活保障标准一点五倍的，列为相对困难职工。因突发事件导致生活困难的，可以申请临时救助。",
            "困难职工建档按照本人申请、基层工会入户核查、区总工会审核、公示、审批的程序办理，公示期为五个工作日。",
            "临时救助金额根据困难程度确定，一般每户每次不超过五千元，同一家庭一年内申请临时救助原则上不超过两次。",
            "帮扶资金实行专款专用，通过银行转账发放到困难职工本人账户，严禁截留、挤占和挪用。",
        ],
    ),
    (
        "HNZGH-BF-02",
        "困难职工档案管理办法",
        C.ASSISTANCE,
        P.AID,
        "规范困难职工档案的建立、管理和动态调整",
        "区总工会和基层工会建立的困难职工档案",
        "权益保障部",
        [
            "困难职工档案实行动态管理，每年复核一次；家庭收入超过标准或者已脱困的，及时办理出档手续。",
            "档案中的身份证号码、家庭收入和病情等信息属于个人信息，只限经办人员在工作中使用，对外公示时应当作脱敏处理。",
        ],
    ),
    (
        "HNZGH-BF-03",
        "职工互助保障管理办法",
        C.ASSISTANCE,
        P.AID,
        "发挥职工互助保障作用，减轻职工因病因灾造成的经济负担",
        "自愿参加职工互助保障活动的工会会员",
        "权益保障部",
        [
            "职工互助保障以会员自愿参加、互助互济为原则，参保费用由会员个人和单位工会共同承担。",
            "参保会员因病住院或者发生意外伤害的，按照保障方案规定的标准给予互助金；申请互助金应当在出院后九十日内提出。",
        ],
    ),
    (
        "HNZGH-BF-04",
        "外来务工人员子女入学服务办法",
        C.ASSISTANCE,
        P.SCHOOL_PLACES,
        "帮助外来务工人员子女解决就学问题，促进教育公平",
        "在本区工作的外来务工工会会员的适龄子女",
        "权益保障部",
        [
            "申请人应当在本区连续缴纳社会保险满十二个月，并持有本区居住证；子女年龄符合相应年级入学要求。",
            "基层工会应当在教育部门规定的报名截止日期前，收集并审核申请材料，统一报送区总工会。",
            "区总工会汇总后与区教育局对接，跟踪安排结果，并及时将入学安排情况反馈申请人所在的基层工会。",
            "子女的姓名、出生日期等信息属于未成年人个人信息，应当严格保密，汇总统计时作脱敏处理。",
        ],
    ),
    (
        "HNZGH-BF-05",
        "职工普惠卡管理办法",
        C.ASSISTANCE,
        P.PERKS,
        "为会员提供普惠性服务，增强工会组织的吸引力",
        "本区工会会员和普惠卡签约商户",
        "权益保障部",
        [
            "普惠卡由区总工会统一制发，每名会员限持一张，凭卡在签约商户享受优惠。会员会籍终止的，普惠卡同时停止使用。",
            "区总工会与签约商户签订服务协议，明确优惠内容和服务要求，每年对商户服务情况进行评价，评价不合格的解除协议。",
        ],
    ),
    (
        "HNZGH-BF-06",
        "送温暖和金秋助学活动实施办法",
        C.ASSISTANCE,
        P.AID,
        "做好元旦春节送温暖和金秋助学工作",
        "本区困难职工、劳动模范和困难职工家庭的在读子女",
        "权益保障部",
        [
            "元旦春节期间，区总工会组织开展送温暖活动，走访慰问困难职工、劳动模范和一线职工。",
            "困难职工家庭子女当年考入全日制普通高等院校的，可以申请金秋助学金，标准为本科每人三千元、专科每人两千元。",
        ],
    ),
    (
        "HNZGH-WQ-01",
        "劳动争议调解工作制度",
        C.RIGHTS,
        P.CASEWORK,
        "预防和化解劳动争议，构建和谐劳动关系",
        "区总工会劳动争议调解工作以及基层劳动争议调解委员会",
        "法律工作部",
        [
            "劳动争议调解应当遵循自愿、合法、公正、及时的原则，尊重当事人申请仲裁和提起诉讼的权利。",
            "调解委员会收到调解申请后，应当在三个工作日内决定是否受理；自受理之日起十五日内未达成调解协议的，视为调解不成。",
            "达成调解协议的，应当制作调解协议书，由双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效。",
        ],
    ),
    (
        "HNZGH-WQ-02",
        "职工维权服务工作规程",
        C.RIGHTS,
        P.CASEWORK,
        "规范职工维权服务工作，依法维护职工合法权益",
        "区总工会职工服务中心受理的职工投诉、咨询和求助",
        "法律工作部",
        [
            "职工可以通过来访、来电、来信和网络等渠道反映问题，受理人员应当登记编号，并在一个工作日内分派经办人员。",
            "对属于工会职责范围的投诉，一般应当在三十日内办结；情况复杂的，经分管领导批准可以延长三十日，并告知投诉人。",
            "处理过程中应当保护投诉人的个人信息，不得向被投诉单位泄露投诉人身份。",
        ],
    ),
    (
        "HNZGH-WQ-03",
        "职工法律援助工作办法",
        C.RIGHTS,
        P.CASEWORK,
        "为职工提供法律援助，帮助职工依法维权",
        "因经济困难或者其他原因需要法律帮助的工会会员",
        "法律工作部",
        [
            "法律援助的范围包括追索劳动报酬、工伤赔偿、解除劳动合同经济补偿等劳动争议案件的咨询、代书、调解和代理。",
            "区总工会聘请律师组成职工法律援助律师团，律师办理援助案件的补贴标准按照有关规定执行。",
        ],
    ),
    (
        "HNZGH-XH-01",
        "职工文体协会管理办法",
        C.ASSOCIATIONS,
        P.ASSOCIATIONS,
        "规范职工文体协会的组建和活动",
        "经区总工会批准成立的各类职工文体协会",
        "宣传教育部",
        [
            "成立职工文体协会应当有二十名以上会员发起，有协会章程和负责人，经区总工会审核批准。",
            "协会每年制定活动计划，全年组织活动不少于六次，活动结束后及时报送活动记录和照片。",
            "协会活动经费由区总工会按照活动计划和开展情况予以补助，年终考核不合格的协会减少或者停止补助。",
        ],
    ),
    (
        "HNZGH-XH-02",
        "职工文体活动场地使用管理规定",
        C.ASSOCIATIONS,
        P.ASSOCIATIONS,
        "用好管好职工文体活动场地",
        "区职工服务中心的活动室、健身房和多功能厅",
        "宣传教育部",
        [
            "各协会和基层工会使用活动场地，应当提前三个工作日预约登记，按照预约时间使用。",
            "使用单位负责活动期间的安全管理，活动结束后及时整理场地，损坏设施设备的照价赔偿。",
        ],
    ),
    (
        "HNZGH-JL-01",
        "机关党风廉政建设责任制度",
        C.DISCIPLINE,
        P.NONE,
        "落实全面从严治党要求，加强机关党风廉政建设",
        "区总工会机关各部室和全体工作人员",
        "机关纪检组",
        [
            "区总工会党组对机关党风廉政建设负主体责任，党组书记是第一责任人，班子其他成员对分管范围内的党风廉政建设负领导责任。",
            "每年年初签订党风廉政建设责任书，年中开展检查，年终进行考核，考核结果作为干部评先评优的重要依据。",
            "在工会经费使用、评先评优、困难帮扶和物资采购等重点环节，建立廉政风险防控措施。",
        ],
    ),
    (
        "HNZGH-JL-02",
        "工作纪律和作风建设规定",
        C.DISCIPLINE,
        P.NONE,
        "加强机关作风建设，提升服务职工的能力和水平",
        "区总工会机关全体工作人员和上挂干部",
        "机关纪检组",
        [
            "机关工作人员应当热情接待来访职工，实行首问负责制和限时办结制，不得推诿扯皮。",
            "严禁利用职务便利为本人或者他人谋取利益，严禁接受服务对象的宴请、礼品和礼金。",
        ],
    ),
    (
        "HNZGH-JL-03",
        "公务接待管理规定",
        C.DISCIPLINE,
        P.NONE,
        "规范公务接待行为，厉行节约、反对浪费",
        "区总工会机关的国内公务接待活动",
        "办公室",
        [
            "公务接待实行审批制度，凭公函接待，无公函的一律不予接待。",
            "接待用餐按照规定标准安排工作餐，不得提供高档菜肴和烟酒，接待费用实行单独核算。",
        ],
    ),
]

# old rule → the rule that replaced it outright
SUPERSEDED = {"HNZGH-ZZ-10": "HNZGH-ZZ-09", "HNZGH-CW-02": "HNZGH-CW-01"}
UPCOMING = "HNZGH-CW-03"  # has a version that takes effect next month
VERSIONED = 20  # rules with 2 to 4 versions

CHAPTER_TWO = {
    C.ORGANISATION: "工作内容",
    C.FINANCE: "管理要求",
    C.SECONDMENT: "选派和管理",
    C.ASSISTANCE: "条件和程序",
    C.RIGHTS: "受理和办理",
    C.ASSOCIATIONS: "组织和活动",
    C.DISCIPLINE: "主要内容",
}
PRINCIPLES = ["依法依规、公开透明、服务职工", "统一领导、分级负责、注重实效", "实事求是、从严管理、便民高效"]
DUTIES = [
    "区总工会{department}是{topic}工作的归口管理部门，负责制定年度工作计划，组织实施、督促检查和总结评估，并定期向区总工会党组和主席办公会议报告工作情况。",
    "各基层工会应当明确一名分管领导和一名具体经办人员，建立工作台账，按要求报送相关材料和统计数据，对所报材料的真实性、完整性负责。",
    "办理{topic}事项，一般按照申请、审核、审批、公示、归档的程序进行。需要集体研究的事项，应当提交主席办公会议讨论决定，并形成会议纪要。",
    "有关材料应当在收到之日起五个工作日内完成初审；材料不全的，应当一次性告知需要补正的全部内容。",
    "涉及职工切身利益的事项，应当通过职工代表大会或者职工大会等形式听取职工意见，并将结果及时向职工公开。",
    "各类原始凭证、审批表单和会议记录应当按年度整理立卷，纸质档案与电子档案同步保存，保存期限按照档案管理有关规定执行。",
    "基层工会在{topic}工作中应当履行以下职责：\n\n（一）宣传贯彻本{kind}和上级工会的有关规定，组织职工学习；\n\n"
    "（二）建立健全工作台账和档案资料，按时向区总工会报送有关材料和统计数据；\n\n"
    "（三）及时收集和反映职工的意见和建议，协调解决工作中遇到的问题；\n\n（四）完成区总工会交办的其他工作。",
    "区总工会{department}应当在每年一月底前对上一年度{topic}工作进行总结，总结内容包括：工作开展的基本情况、取得的主要成效、"
    "存在的问题和原因分析、下一年度的工作打算。总结报告经分管领导审核后报区总工会党组，并在机关内部通报。",
]
SUPERVISION = [
    "区总工会经费审查委员会和机关纪检组织对{topic}工作进行监督，每年至少开展一次专项检查，检查结果在一定范围内通报。",
    "对工作成效显著的单位和个人，在年度评先评优中予以优先考虑；对工作不力、造成不良影响的，予以通报批评并责令限期整改。",
    "违反本{kind}规定，弄虚作假、截留挪用或者造成损失的，依照有关规定追究相关人员责任；涉嫌违法犯罪的，移送有关机关依法处理。",
    "有下列情形之一的，区总工会予以通报批评，并责令限期整改：\n\n（一）未按规定程序办理，或者擅自改变审批结果的；\n\n"
    "（二）报送材料弄虚作假、隐瞒真实情况的；\n\n（三）未按规定期限办理，影响职工合法权益的；\n\n"
    "（四）泄露职工个人信息，造成不良影响的。",
]
# What later versions add, with the change note that says so.
AMENDMENTS = [
    (
        "各项工作应当依托UnionHub工会信息化平台办理，实现网上申报、审核和统计，逐步减少纸质材料报送。",
        "增加依托信息化平台办理的规定",
    ),
    (
        "工作中收集的职工个人信息，应当按照《中华人民共和国个人信息保护法》的规定妥善保管，不得泄露或者用于其他用途。",
        "增加个人信息保护要求",
    ),
    (
        "网格片组牵头工会应当协助做好本片组内的相关工作，并将工作情况纳入片组年度考核。",
        "明确网格片组牵头工会的职责",
    ),
    ("本{kind}所称的“日”，除特别注明外均指工作日，遇法定节假日顺延。", "统一办理时限的计算方法"),
    ("本{kind}执行情况纳入基层工会年度工作考核，考核结果与评先评优挂钩。", "增加执行情况考核的规定"),
]
TRIAL = "本{kind}试行期间，各单位应当及时反馈执行中发现的问题和建议。"
MAX_ARTICLES = 12
MIN_LENGTH = 620
DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for articles and chapters)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def _kind(title: str) -> str:
    return next((suffix for suffix in ("办法", "制度", "规定", "规程") if title.endswith(suffix)), "制度")


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rule_text(
    *,
    spec,
    version: int,
    versions: int,
    effective_on: datetime.date,
    previous_on,
    general: list[str],
    wanted: int,
    principle: str,
    shift: int,
) -> str:
    """One version's Markdown: 总则, the rule's own articles, duties and procedure (with the amendments
    this version has), supervision, 附则. ``general`` is the rule's own order of the shared articles, of
    which it takes ``wanted`` (more while the text is under ``MIN_LENGTH`` characters, never more than
    ``MAX_ARTICLES`` articles in all)."""
    number, title, category, _programme, purpose, scope, department, own = spec
    kind = _kind(title)
    topic = title.removesuffix(kind).removesuffix("暂行").removesuffix("实施")
    fill = {"kind": kind, "topic": topic, "department": department}
    amendments = [AMENDMENTS[(shift + k) % len(AMENDMENTS)][0] for k in range(min(version - 1, 3))]
    trial = versions > 1 and version == 1
    closing = [
        f"本{kind}由区总工会{department}负责解释。",
        f"本{kind}自{_chinese_date(effective_on)}起施行。"
        + (f"{_chinese_date(previous_on)}起施行的原{kind}同时废止。" if previous_on else ""),
    ]
    if trial:
        closing.insert(1, TRIAL.format(**fill))
    opening = [
        f"为{purpose}，根据《中华人民共和国工会法》《中国工会章程》和上级工会有关规定，结合本区工会工作实际，制定本{kind}。",
        f"本{kind}适用于{scope}。",
        f"{topic}工作坚持{principle}的原则。",
    ]
    room = max(0, MAX_ARTICLES - len(opening) - len(own) - len(amendments) - len(closing))
    duty_texts = {d.format(**fill) for d in DUTIES}

    def compose(shared_templates: list[str]) -> str:
        shared = [text.format(**fill) for text in shared_templates]
        duties = [t for t in shared if t in duty_texts] + [a.format(**fill) for a in amendments]
        watch = [t for t in shared if t not in duty_texts]
        chapters = [
            ("总则", opening),
            (CHAPTER_TWO[category], own),
            ("职责和程序", duties),
            ("监督检查", watch),
            ("附则", closing),
        ]
        lines, article, chapter = [], 0, 0
        for heading, articles in chapters:
            if articles:
                chapter += 1
                lines.append(f"## 第{chinese_number(chapter)}章 {heading}\n")
                for text in articles:
                    article += 1
                    lines.append(f"**第{chinese_number(article)}条** {text}\n")
        return "\n".join(lines)

    # More shared articles while the text is short; when all that fit are still too short, the longest.
    for count in range(min(wanted, room), room + 1):
        text = compose(general[:count])
        if len(text) >= MIN_LENGTH:
            return text
    return compose(sorted(general, key=len, reverse=True)[:room])


def _dates(rng, today: datetime.date, count: int) -> list[datetime.date]:
    """``count`` effective dates, oldest first, the last one between a month and two and a half years ago."""
    day = today - datetime.timedelta(days=rng.randint(30, 900))
    dates = [day.replace(day=1)]
    for _ in range(count - 1):
        day = dates[0] - datetime.timedelta(days=rng.randint(365, 1100))
        dates.insert(0, day.replace(day=1))
    return dates


def _version_counts(rng, total_versions: int | None) -> dict[str, int]:
    in_force = [spec[0] for spec in RULES if spec[0] not in SUPERSEDED]
    if total_versions is None:
        chosen = set(rng.sample(in_force, VERSIONED))
        return {number: (rng.choice([2, 2, 3, 3, 4]) if number in chosen else 1) for number in in_force}
    # The benchmark's library: ``total_versions`` spread as evenly as they go (superseded rules keep one).
    spread = total_versions - len(SUPERSEDED)
    base, extra = divmod(spread, len(in_force))
    return {number: base + (1 if n < extra else 0) for n, number in enumerate(in_force)}


def seed_rules(*, rng, unions, staff, today, total_versions: int | None = None):
    """The 34 rules and their versions, in bulk. ``total_versions`` (the benchmark's 300) spreads that many
    versions over the rules instead of the demo's 1 to 4."""
    counts = _version_counts(rng, total_versions)
    rules = Rule.objects.bulk_create(
        [Rule(number=spec[0], title=spec[1], category=spec[2], programme=spec[3]) for spec in RULES]
    )
    by_number = {rule.number: rule for rule in rules}
    versions = []
    for shift, (spec, rule) in enumerate(zip(RULES, rules, strict=True)):
        if rule.number in SUPERSEDED:
            dates, notes = [datetime.date(today.year - 13, 1, 1)], [""]
        else:
            dates = _dates(rng, today, counts[rule.number])
            notes = [
                "",
                *[
                    ("删除试行期条款，正式施行；" if v == 2 else "")
                    + (
                        AMENDMENTS[(shift + v - 2) % len(AMENDMENTS)][1]
                        if v <= 4
                        else "根据上级工会新规定修订部分文字表述"
                    )
                    for v in range(2, len(dates) + 1)
                ],
            ]
            if rule.number == UPCOMING and total_versions is None:
                dates.append(today.replace(day=1) + datetime.timedelta(days=40))
                notes.append("调整报销审批权限，单笔一万元以上的支出须经主席办公会议研究")
        general = rng.sample(DUTIES, 4) + rng.sample(SUPERVISION, 2)
        rng.shuffle(general)
        wanted, principle = rng.randint(0, len(general)), rng.choice(PRINCIPLES)
        in_effect = sum(day <= today for day in dates)  # an upcoming version does not end the trial
        for n, effective_on in enumerate(dates, start=1):
            text = rule_text(
                spec=spec,
                version=n,
                versions=in_effect,
                effective_on=effective_on,
                previous_on=dates[n - 2] if n > 1 else None,
                general=general,
                wanted=wanted,
                principle=principle,
                shift=shift,
            )
            if rule.number == UPCOMING and effective_on > today:
                text = text.replace(
                    "单笔五千元以上的支出须经主席审批", "单笔一万元以上的支出须经主席办公会议研究"
                )
            versions.append(
                RuleVersion(
                    rule=rule,
                    version=n,
                    effective_on=effective_on,
                    text=text,
                    change_note=notes[n - 1] or "首次发布",
                    published_by=staff,
                    search_text=search_text_for(rule.title, text),
                )
            )
    RuleVersion.objects.bulk_create(versions, batch_size=500)
    # Published some weeks before they took effect (bulk_create stamps "now"; bulk_update does not).
    zone = timezone.get_current_timezone()
    for version in versions:
        day = min(version.effective_on - datetime.timedelta(days=rng.randint(10, 40)), today)
        version.published_at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone)
    RuleVersion.objects.bulk_update(versions, ["published_at"], batch_size=500)
    for old, new in SUPERSEDED.items():
        by_number[old].superseded_by = by_number[new]
    Rule.objects.bulk_update([by_number[old] for old in SUPERSEDED], ["superseded_by"])
    return rules
