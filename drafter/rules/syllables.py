"""Vietnamese syllables known to be words, for telling legacy-encoded text apart.

A word such as ``Phòng`` is a possible syllable as typed and also once read as TCVN3
(``Phũng``); so are ``cã`` (TCVN3 for "có") and ``công`` ("cụng"). The shape of a
syllable cannot settle such a word; knowing which reading is a word in use can.
:mod:`drafter.rules.text` asks :func:`known` only for those words.

The list is lower case, NFC, and was made once from: the words of the four seed
documents; every word of the names of provinces and communes in vietnam-provinces
(2025 data); a hand list of common everyday and administrative words; and a review
of every syllable whose TCVN3 or VNI spelling is itself a listed word, adding those
in use (``cụng``, ``khỏi``, ``ngồi``, ``sốt``…) so that both readings count as
words and the line's context decides. It need not be complete: an unknown word
falls back to the rules of syllable shape.

No format() and no validate(): this is a word list, nothing is written from it, and
its one check, :func:`known`, answers yes or no because an unknown word is no
problem to report (the list is not complete).

>>> known("Phòng"), known("PHÒNG"), known("Phũng")
(True, True, False)

What the data itself must hold: every entry is lower case, NFC, and a possible
syllable by the shape rules of :mod:`drafter.rules.text`.

>>> import unicodedata
>>> from drafter.rules import text
>>> [w for w in KNOWN if w != w.lower() or not unicodedata.is_normalized("NFC", w)]
[]
>>> [w for w in sorted(KNOWN) if not text._is_syllable(w)]
[]
"""

from __future__ import annotations

__all__ = ["known"]

_WORDS = """
a ai am an anh ao ba ban bang bao bay bi binh biên biến biết biển biểu biện biệt bo
bom bon boòng bum bung buôn buông buồn buồng buổi buộc bà bài bàn bàng bàu bày bá
bác bách bái bám bán báng bánh báo bát bây bãi bão bè bé bên bì bìa bình bí bích bít
bò bó bóc bói bóng bôi bôn bông bù bùn bú búa búi búng bút băng bơ bơi bơm bưu bước
bướm bưởi bạ bạc bạch bại bạn bạo bạt bả bản bảng bảo bảy bất bấy bầu bẩy bậc bận
bắc bắt bằng bẹ bẻ bế bến bếp bền bể bệnh bỉm bỉnh bị bịnh bọ bọc bọn bỏ bỏng bố bốc
bối bốn bồ bồi bồn bồng bổ bổn bộ bột bớt bờ bởi bỡ bụ bục bụi bụng bủng bức bữa bự
ca cai cam can cang canh cao cau cha chai chanh chi chia chim chinh chiêm chiên
chiêng chiêu chiếc chiếm chiến chiếu chiềng chiều chiểu cho chu chung chuyên chuyển
chuyện chuông chuẩn chuốc chuối chuồng chuộng chà chàng chày chánh cháy chân châu
chè chéng chê chìa chí chín chính chó chóng chùa chú chúa chúc chúng chăm chăn chũ
chơ chơi chơn chư chưa chưng chương chướng chưởng chạm chạy chả chải chấn chấp chất
chẩn chậm chậu chắc chắn chẳng chặn chặt chẽ chế chết chỉ chỉnh chị chịu chọn chọng
chống chốt chồng chỗ chớ chờ chợ chục chủ chủng chứa chức chứng chừng chử chửa chữ
chữa co coi con cung cuông cuối cuốn cuổi cuộc cuộn cà càng cày cá các cách cái cám
cán cánh cáo cáp cát cân câu cây cò còn có cói cô côi côn công cõi cù cùm cùng cú
cúc cúi cúng căn căng cũ cũng cơ cơi cơm cơn cư cương cười cường cưỡng cạn cạnh cạo
cả cải cảm cản cảng cảnh cảo cấm cấp cấu cầm cần cầu cẩm cẩn cận cập cậu cắm cắn cắt
cằm cọ cọp cọt cỏ cố cốc cối cống cốt cồn cổ cỗ cộ cộng cộp cớ cờ cỡ cụ cục cụi cụm
cụng củ của củi củng cứ cứu cử cửa cửu cự cực cựu da dang danh dao di dinh diên diễn
diệm diện diệt diệu do doanh dom dong du dung duy duyên duyệt duệ dài dàn dành dào
dày dán dáng dân dâng dây dì dình dính dò dòng dông dõi dù dùng dăm dĩ dĩnh dũ dũng
dơi dư dưa dương dưới dưỡng dược dạ dạn dạng dạo dạy dải dấn dấu dần dầu dẩn dẫn dẫu
dậy dặn dẻo dền dễ dệt dị dịch dịp dọa dọc dọn dốc dốt dồi dồn dời dở dụ dục dụng
dứt dừa dữ dự dựa dực dựng e eo gai gan gang ghi ghép ghế gi gia giai gian giang
gianh giao gio giuộc già giàn giàng giành giàu giày giá giám giáo giáp giây giã
giêng gió giôn giúp giơ giả giải giảm giản giảng giấc giấy giầy giận giằng giặc giết
giỏi giống giồng giới giờ giữ giữa go gom gà gành gào gái gánh gây gã gì gò gòn góc
gói góp gương gạch gạo gấp gần gầy gắn gắng gặp gỉ gọi gốc gốm gồm gỗ gỡ gửi ha hai
ham hang hanh hay he hinh hiên hiếm hiến hiếu hiền hiểm hiển hiểu hiện hiệp hiệu ho
hoa hoan hoang hoà hoài hoàn hoàng hoành hoá hoạch hoạt hoằng hoặc hua hum hung huy
huyết huyện huấn huế huệ huồi huổi huỳnh hy hà hàm hàng hành hào há hán hát hãng
hình hò hòa hòn hóa hóc hóng hôm hông hùng húc hút hăng hơi hơn hư hưng hưu hương
hướng hưởng hạ hạc hại hạn hạnh hạp hạt hải hảo hấp hầu hậu hắn hẳn hặc hẹ hết hề hệ
hịch họ học hỏa hỏi hố hồ hồi hồn hồng hổ hỗ hộ hộc hội hới hớt hợp hụt hứng hữu hựu
hỳ hỷ i ia im in ka kan kang kao ken keng kha khai khang khao khe khen khi khiêm
khiêng khiến khiếu khiển kho khoa khoanh khoen khoong khoài khoá khoái khoáng khoản
khoảng khu khun khung khuyến khuyết khuôn khuông khuất khác khách khái khám khán
kháng khánh khát khâm khâu khê khí khích khó khóa khôi khôn không khúc khăn khơi
khương khả khảo khẩn khẩu khắc khế khỏe khỏi khố khối khống khổng khờ khởi khủa
khủng khứ khử kia kim kinh kiên kiêu kiếm kiến kiết kiều kiểm kiểu kiệm kiện kiệt
kiệu ko kon kè kèm kém kép kênh kêu kích kính kôi kôn kông ký kĩ kơi kạn kẻ kế kết
kể kệ kỉ kịch kịp kỳ kỷ kỹ la lai lam lan lang lao lay le leng leo linh liêm liên
liêng liêu liền liễn liễu liệt liệu lo loa loan loi long loong loại loỏng lua luân
luôn luông luận luật ly là lài làm làn làng lào lá lách lái láng lát lâm lân lâu lãi
lãm lãng lãnh lão lèng lèo lê lên lìa lính lò lòng lóng lô lôn lông lùi lùng lúa lúc
lúng lý lăng lĩnh lũ lũm lũng lũy lơ lư lưu lương lưới lược lượng lượt lạ lạc lại
lạn lạng lạnh lạp lạt lải lấp lấy lầm lần lầu lẫn lập lậy lặc lẻ lẽ lều lễ lệ lệnh
lịch lọ lọc lỏng lối lống lốp lồng lỗ lỗi lộ lộc lớn lớp lờ lời lở lợi lợn lục lụng
lứa lức lừa lửa lữ lựa lực lựu ma mai man mang mao mau may minh miếng miếu miền miễn
miện miệng mua mung muối muốn muổi my mà màn màu má máng máy mây mã mãi mão mèo mép
mê mìn mình mía mít móc móng mô môi môn mông mù mùa mùi mùn mú múa múc măng mũ mũi
mơ mơn mưa mưu mười mường mượn mạ mạc mạch mại mạng mạnh mạo mất mấy mầm mần mẫu mập
mật mậu mắc mắt mặc mặn mặt mẹ mẽ mềm mễ mệnh mọc mọi mọt mỏ mỏng mố mối mồ mỗ mỗi
mộ mộc mộng một mới mờ mời mở mỡ mụ mục mụn mức mứn mực mỳ mỹ na nai nam nan nay nga
ngai ngam ngang nghe nghi nghinh nghiêm nghiên nghiệm nghiệp nghèo nghĩ nghĩa nghề
nghệ nghỉ nghị ngoi ngoong ngoài ngoại nguy nguyên nguyễn nguyện nguyệt nguồn ngà
ngài ngàn ngành ngày ngân ngã ngãi ngòi ngó ngói ngô ngôi ngôn ngũ ngơ ngơi ngư
người ngưỡng ngược ngạc ngạch ngạn ngập ngắn ngắt ngọc ngồi ngờ ngụ ngừa ngừng ngự
nha nhai nham nhanh nhau nhi nhiên nhiêu nhiều nhiễm nhiệm nhiệt nho nhu nhum nhung
nhuận nhà nhài nhàn nhánh nhân nhã nhãn nhè nhé nhì nhìn nhóm nhón nhôn nhúm nhơn
như nhưng nhường nhượng nhạc nhất nhẫn nhận nhập nhật nhắc nhắn nhằm nhẹ nhị nhỏ nhố
nhỡ nhứt nhữ những nhựa nhựt ning ninh niêm nung nuôi nà nào này ná nâm nâng nèn né
nên nêu nó nói nóng nô nông nùng núa núi núng năm năng nơ nơi nưa nước nại nạn nấm
nấu nẫm nậm nật nắm nẵng nặm nặng nếnh nếu nền nọi nỏ nối nốt nổi nỗ nộ nội nộp nợ
nụ nửa nữ nữa nựng o oai on pa pang pha phan pheo phim phiên phiêng phiếu phong phá
phái phán pháp phát phân phép phê phì phìn phình phí phía phích phòng phó phóng phù
phùng phú phúc phúng phút phăng phơi phương phước phường phượng phạm phạt phả phải
phản phần phẩm phận phật phặc phế phố phối phổ phờ phụ phục phụng phủ pia pu pui pà
pàng pù pú púch púng pơ pơng pắc pằn pồn pờ qua quan quang quao qui quy quyết quyền
quyển quài quàng quá quách quán quân quê quí quý quả quản quảng quất quần quầy quận
quế quốc quới quờ quỳ quỳnh quỹ ra rai ran rang ranh ray ri riêng riềng rong ruộng
rà rác rã rãi rèn réo rì rí rông rõ răng rơ rơi rượu rạch rạng rất rắn rằng rẻ rịa
rối rốn rồi rồng rộng rớ rờ rời rỡ rụng rụt rủi rừng sa sai sam san sang sanh sao
sau say sen si sin sinh so son song soát soạn su sung suy suất suối sà sài sàng sào
sách sáng sát sâu sê sì sìn sín sính sít sò sóc sóng sông súc súng súp sút sĩ sơ sơn
sư sạch sại sản sảng sầm sập sắc sắp sắt sẵn sặt sẻ sẽ sỏ số sống sốp sốt sổ sớm sờ
sở sỡ sợ sủ sủng sứ sức sử sửa sữa sự ta tam tan tang tay tem thai tham than thanh
thao thay theo thi thia thiên thiêu thiết thiếu thiểu thiện thiệt thiệu tho thoát
thoại thoả thu thung thuyết thuyền thuê thuần thuận thuật thuế thuốc thuộc thuột
thuỷ thà thàng thành thác thái thám tháng thánh tháo tháp thân thép thêm thì thí
thích thói thôi thôn thông thùng thùy thú thúc thúi thăm thăng thơ thơn thư thương
thước thường thưởng thượng thạch thạnh thải thản thảo thấp thất thấy thần thầu thầy
thẩm thậm thận thắng thế thề thể thị thịnh thịt thọ thỏa thỏi thỏm thố thống thốt
thổ thớ thới thời thụ thục thụy thủ thủy thứ thức thừa thử thực ti tin tinh tiên
tiêu tiếc tiến tiếng tiếp tiết tiềm tiền tiểu tiễn tiện to toong toà toàn toán toại
tra trai trang tranh trao tre tri trinh triều triển triệt triệu trong trung truy
truyền truông trà tràm tràng trào trách tránh trâm trân trãi trên trì trình trí
trích trò tròn trói trôm trông trù trùng trúc trăng trưng trương trước trường trưởng
trạch trại trạm trạo trả trảng trấn trần trẻ trị trịnh trọng trồng trớ trời trở trợ
trụ trục trừ trừng trữ trực tu tum tung tuy tuyên tuyến tuyền tuyển tuyệt tuân tuấn
tuần tuệ tuổi ty tà tài tàu tá tác tám tán tánh tát tâm tân tây tè tên tìa tìm tình
tích tín tính típ tò tòa tó tóm tô tôi tôn tông tùng tùy tú túc túm tý tăm tăng tĩnh
tơ tơi tư tươi tương tướng tường tưởng tượng tạ tại tạm tạo tả tải tản tảo tấn tất
tấu tầm tần tầng tận tập tắc tắt tằng tế tề tệ tỉ tỉnh tị tịch tịnh tọ tọa tỏ tỏa tố
tốc tối tốn tống tốt tồn tổ tổng tới tờ tở tụ tục tủa tứ tức từ từng tử tự tựu tỳ tỷ
u ui uy uyên uông uý uống va vai van vang vay vi vinh viên viết viễn việc viện việt
vong vu vui vung và vài vàm vàng vào vân vãi vì ví vò vòng vói vô võ vùng văn vĩ
vĩnh vũ vũng vơ vương vướng vườn vượt vạc vạn vả vấn vấp vầy vẫn vận vật vậy vẻ vẽ
về vệ vị vỏ vốn vồn vỗ vớ với vời vỡ vợ vụ vụn vừa vững vực vỹ xa xang xanh xe xem
xi xin xong xoài xung xuyên xuân xuất xà xá xác xát xây xã xèo xé xén xét xím xín xó
xóm xùa xúc xúm xưa xương xướng xưởng xảy xấu xếp xỏ xốp xộn xử y yên yêu yết yếu à
á ác ái án áng ánh áo áp âm ân âu é ích ít óc ô ôn ông úc ý ăn ăng đa đai đam đan
đang đau đe đem đen đi đinh điềm điền điều điểm điển điện điệp điệu đo đoa đoan đoài
đoàn đoạn đu đun đuôi đuổi đà đài đàm đàn đào đá đám đáng đánh đáp đáy đâu đây đã
đãi đè đèn đèo đéc đêm đình đích đính đòn đó đói đón đóng đô đôi đôn đông đùi đùn
đùng đúc đúng đăng đĩa đơn đưa đương đước đường được đạ đạc đại đạm đạo đạp đạt đảm
đảng đảo đất đấu đầm đầu đầy đẩy đậu đắc đắp đằng đặc đặng đặt đẹp đẻ đế đến đề đền
đều để đệ đỉnh địa định đọ đọc đỏ đốc đối đống đồ đồi đồn đồng đổ đổi đổng đỗ độ độc
đội động đờ đỡ đợi đợt đủ đức đứng đứt đừng ơ ơn ưng ưu ương ạ ả ảng ảnh ấm ấn ấy ắt
ốm ống ổn ớt ở ụ ủ ủng ủy ứng
"""

KNOWN: frozenset[str] = frozenset(_WORDS.split())


def known(word: str) -> bool:
    """True when ``word`` (NFC, any case) is a listed Vietnamese syllable."""
    return word.lower() in KNOWN
