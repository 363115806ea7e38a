"""The French message catalogue: the same keys and placeholders as `MESSAGES["en"]`.

Written for colleagues at work: « vous » throughout, neutral wording rather than
gendered forms where possible, French subcommands in examples (`/rex enseigner`,
`/rex rejoindre`…). Typography: a no-break space (U+00A0) before « : », a narrow
no-break space (U+202F) before « ; ! ? », typographic apostrophes (’). Emoji codes
such as `:wave:` keep a plain space before them so Slack still recognises them.
"""

from typing import Final

FR: Final[dict[str, str]] = {
    # help and charter
    "help": (
        "*Rex, le réseau d’échanges réciproques de savoirs*\n"
        "Partagez ce que vous savez, apprenez ce qui vous intéresse : Rex met en relation des "
        "personnes qui peuvent apprendre les unes des autres.\n"
        "• `/rex rejoindre` : rejoindre le réseau (ce que vous pouvez enseigner, ce que vous "
        "voulez apprendre)\n"
        "• `/rex` : modifier votre profil\n"
        "• `/rex enseigner <compétence>` / `/rex apprendre <compétence>` : ajouter une compétence "
        "que vous pouvez enseigner / que vous voulez apprendre\n"
        "• `/rex retirer <compétence>` : retirer une compétence\n"
        "• `/rex moi` : voir votre profil · `/rex moi heures` : votre temps d’apprentissage\n"
        "• `/rex pause [jusqu’au AAAA-MM-JJ]` / `/rex reprendre` : suspendre ou relancer les mises "
        "en relation\n"
        "• `/rex eviter @quelqu’un` : ne jamais rencontrer cette personne via Rex (cette liste "
        "n’est visible que par vous)\n"
        "• `/rex mesdonnees` : recevoir tout ce que Rex conserve à votre sujet\n"
        "• `/rex quitter` : quitter le réseau · `/rex oublie-moi` : supprimer vos données\n"
        "• `/rex aide` : cette aide\n"
        "_Les commandes en anglais (`/rex join`, `/rex teach`…) fonctionnent aussi._"
    ),
    "help.admin": (
        "*Administration*\n"
        "• `/rex admin round` : lancer un tour de mise en relation maintenant\n"
        "• `/rex admin preview` : voir ce qu’un tour proposerait, sans rien envoyer\n"
        "• `/rex admin digest [semaine|mois|trimestre]` : publier le bilan maintenant · "
        "`/rex admin stats` : les mêmes chiffres, pour vous seul\n"
        "• `/rex admin export [csv|xapi] [début] [fin]` : les traces d’apprentissage, en fichier\n"
        "• `/rex admin pause @quelqu’un` : suspendre les mises en relation d’un membre\n"
        "• `/rex admin approval on|off` : valider les propositions de chaque tour avant les "
        "présentations"
    ),
    "unknown_command": "Je ne connais pas `{command}`. Voici ce que je sais faire :",
    "dm.met": "Parfait, c’est noté ! Un clic pour l’évaluer :",
    "dm.reschedule": "Aucun souci. Choisissez un nouveau moment quand vous serez prêt :",
    "dm.closed": (
        "C’est noté : cet échange est clos. Vous retournez dans le vivier pour le prochain tour."
    ),
    "dm.gone": "Cet échange est déjà terminé. Merci !",
    "dm.no_question": "Merci ! Je ne vous ai rien demandé pour l’instant, cela dit.",
    "dm.noted_rating": (
        "Noté : {rating}/5. Et combien de temps cela a-t-il pris ? (par exemple 1h30)"
    ),
    "dm.noted_hours": "Noté : {hours} h. Et quelle est votre satisfaction, sur 5 ?",
    "dm.recorded": "Évaluation enregistrée : {rating}/5 et {hours} h. Merci !",
    "button.correct": "Corriger",
    "dm.unknown": (
        "Désolé, je n’ai pas compris. Je comprends des commandes comme `aide`, "
        "`enseigner Python` ou `moi`, et les réponses à mes questions (« oui, on s’est vus », "
        "« pas encore »)."
    ),
    "dm.did_you_mean": "Vouliez-vous dire `{command}` ?",
    "dm.join_hint": (
        "Pour nous rejoindre, tapez `/rex rejoindre` : le formulaire s’ouvre avec la charte."
    ),
    "mention.unknown": (
        "Je suis là ! Ici, je comprends « @Rex on s’est vus », « @Rex reporter » et « @Rex aide »."
    ),
    "language.set": "Désormais, je vous écrirai en français.",
    "language.usage": "Choisissez `fr` ou `en` : `/rex langue fr`",
    "did_you_mean": "Je ne connais pas `{command}` : vouliez-vous dire `/rex {suggestion}` ?",
    "list.more": "… et {count} de plus",
    "charter": (
        "*La charte*\n"
        "• *Volontariat* : vous participez parce que vous le souhaitez, et pouvez faire une pause "
        "ou partir à tout moment.\n"
        "• *Réciprocité* : chaque membre transmet un savoir et en apprend un autre (pas forcément "
        "avec la même personne).\n"
        "• *Des savoirs, pas des services* : on transmet un savoir-faire ; personne ne fait le "
        "travail à la place de quelqu’un d’autre.\n"
        "• *Confidentialité* : ce qui se dit pendant un échange y reste.\n"
        "• *Évaluation* : après chaque échange, une courte évaluation privée aide le réseau à "
        "s’améliorer."
    ),
    # join modal
    "join.title": "Rejoindre Rex",
    "join.submit": "Rejoindre",
    "join.close": "Annuler",
    "join.agree_label": "Charte",
    "join.agree": "J’accepte la charte",
    "join.teach_label": "Ce que je peux enseigner",
    "join.teach_hint": "Une compétence par ligne, par ex. tableaux croisés dynamiques Excel",
    "join.learn_label": "Ce que je veux apprendre",
    "join.learn_hint": "Une compétence par ligne, par ex. prise de parole en public",
    "join.welcome": (
        "Bienvenue dans Rex, {name} ! Vous pouvez enseigner {teach} et souhaitez apprendre "
        "{learn}. Je vous mettrai en relation au prochain tour."
    ),
    "join.already": "Vous êtes déjà membre. Voici votre profil :",
    # profile commands
    "skill.added.teach": "J’ai ajouté *{skill}* à ce que vous pouvez enseigner.",
    "skill.added.learn": "J’ai ajouté *{skill}* à ce que vous voulez apprendre.",
    "skill.known": "*{skill}* figure déjà dans votre profil.",
    "skill.usage.teach": (
        "Indiquez la compétence : `/rex enseigner tableaux croisés dynamiques Excel`"
    ),
    "skill.usage.learn": "Indiquez la compétence : `/rex apprendre prise de parole en public`",
    "skill.usage.remove": "Indiquez la compétence : `/rex retirer Excel`",
    "skill.removed": "J’ai retiré *{skill}* de votre profil.",
    "skill.title": "Ajouter une compétence",
    "skill.submit": "Ajouter",
    "skill.kind": "Je veux",
    "skill.kind.teach": "l’enseigner",
    "skill.kind.learn": "l’apprendre",
    "skill.label": "Compétence",
    "skill.label_hint": "Commencez à taper : choisissez une suggestion ou gardez vos propres mots.",
    "skill.level": "Niveau",
    "skill.note": "Plus précisément (facultatif)",
    "skill.note_hint": "par ex. les tableaux croisés pour le rapport mensuel",
    "level.basics": "peut enseigner les bases",
    "level.intermediate": "niveau intermédiaire",
    "level.expert": "niveau expert",
    "level.beginner": "niveau débutant",
    "level.some": "quelques notions",
    "profile.title": "Votre profil Rex",
    "profile.submit": "Enregistrer",
    "profile.teach": "Ce que je peux enseigner",
    "profile.learn": "Ce que je veux apprendre",
    "profile.skills_hint": (
        "Commencez à taper : choisissez une suggestion ou gardez vos propres mots."
    ),
    "profile.bio": "À propos de moi (facultatif)",
    "profile.languages": "Langues dans lesquelles je peux échanger",
    "profile.preference": "Je préfère échanger",
    "preference.in_person": "en présentiel",
    "preference.remote": "à distance",
    "preference.either": "en présentiel ou à distance",
    "pause.title": "Mettre Rex en pause",
    "pause.submit": "Mettre en pause",
    "pause.until": "En pause jusqu’au",
    "pause.hint": "Rex reprendra vos mises en relation ce jour-là.",
    "paused.until": (
        "En pause jusqu’au {date}. Je reprendrai vos mises en relation à cette date ; "
        "`/rex reprendre` vous permet de revenir plus tôt."
    ),
    "avoid.added": (
        "C’est noté, en toute confidentialité : je ne vous mettrai jamais en relation avec {who}. "
        "Cette liste n’est visible que par vous."
    ),
    "avoid.known": "{who} figure déjà dans votre liste.",
    "avoid.usage": "Mentionnez la personne : `/rex eviter @quelqu’un`.",
    "avoid.list": (
        "Personnes que vous préférez ne pas rencontrer (liste visible par vous uniquement) : "
        "{people}"
    ),
    "mydata.sent": (
        "Je vous ai envoyé, dans notre conversation privée, un fichier JSON avec tout ce que Rex "
        "conserve à votre sujet."
    ),
    "mydata.title": "Tout ce que Rex conserve à votre sujet",
    "forget.confirm": (
        "Cette action supprime votre profil, vos compétences et votre liste de personnes à éviter, "
        "et anonymise vos échanges passés (les totaux du réseau restent justes). Elle est "
        "irréversible."
    ),
    "forget.button": "Supprimer mes données",
    "forget.dialog_title": "Supprimer vos données ?",
    "forget.dialog_confirm": "Supprimer",
    "forget.dialog_deny": "Les conserver",
    "forget.done": "C’est fait : vos données sont supprimées. Merci pour ces échanges !",
    "match_now.found.one": (
        "J’ai trouvé {count} mise en relation pour vous : regardez la nouvelle conversation de "
        "groupe."
    ),
    "match_now.found.other": (
        "J’ai trouvé {count} mises en relation pour vous : regardez les nouvelles conversations de "
        "groupe."
    ),
    "match_now.none": (
        "Pas de mise en relation possible pour l’instant ; je continuerai à chercher à chaque tour."
    ),
    "me.title": "*Votre profil Rex* ({status})",
    "me.teach": "*Vous pouvez enseigner :* {skills}",
    "me.learn": "*Vous voulez apprendre :* {skills}",
    "me.none": "rien pour l’instant",
    "me.incomplete.teach": (
        "Vous n’avez encore rien à enseigner, je ne peux donc pas vous mettre en relation : "
        "ajoutez une compétence avec `/rex enseigner`."
    ),
    "me.incomplete.learn": (
        "Vous n’avez encore rien à apprendre, je ne peux donc pas vous mettre en relation : "
        "ajoutez une compétence avec `/rex apprendre`."
    ),
    "status.active": "actif",
    "status.paused": "en pause",
    "status.left": "hors du réseau",
    "status.paused_until": "en pause jusqu’au {date}",
    "status.incomplete": (
        "incomplet : pas de mise en relation tant que chaque liste n’a pas au moins une compétence"
    ),
    "state.proposed": "proposé",
    "state.scheduled": "planifié",
    "state.held": "réalisé",
    "state.declined": "décliné",
    "state.cancelled": "annulé",
    "not_member": "Vous n’avez pas encore rejoint Rex : tapez `/rex rejoindre` pour commencer.",
    "paused": (
        "Pause activée. Je ne vous mettrai en relation avec personne tant que vous n’aurez pas "
        "tapé `/rex reprendre`."
    ),
    "resumed": "Bon retour parmi nous ! Vous participerez au prochain tour de mise en relation.",
    "left": (
        "Vous avez quitté Rex. Vos mises en relation en cours sont closes ; tapez `/rex rejoindre` "
        "pour revenir quand vous le souhaitez."
    ),
    # errors
    "error.need_teach": (
        "La réciprocité est la règle : ajoutez au moins une compétence que vous pouvez enseigner."
    ),
    "error.need_learn": (
        "La réciprocité est la règle : ajoutez au moins une compétence que vous voulez apprendre."
    ),
    "error.charter": "Pour rejoindre le réseau, merci d’accepter la charte.",
    "error.label_empty": "Une compétence ne peut pas être vide.",
    "error.label_too_long": "Une compétence ne peut pas dépasser {max} caractères.",
    "error.label_control": "Une compétence ne peut pas contenir de caractères de contrôle.",
    "error.too_many_skills": "{max} compétences au maximum ici.",
    "error.hours": "Le nombre d’heures doit être compris entre 0 et {max}.",
    "error.evaluation_closed": (
        "Cette évaluation compte déjà dans les chiffres d’une semaine terminée : elle ne "
        "peut plus être modifiée."
    ),
    "error.date_past": "Choisissez une date et une heure à venir.",
    "error.level": "Choisissez un niveau dans la liste.",
    "error.pause_date": "Choisissez une date à venir, dans les {days} prochains jours.",
    "error.text_too_long": "{max} caractères au maximum ici.",
    "error.text_control": "Ce texte ne peut pas contenir de caractères de contrôle.",
    "error.skill_unknown": "*{skill}* ne figure pas dans votre profil.",
    "error.avoid_self": "Vous ne pouvez pas vous éviter vous-même.",
    "error.generic": "Un problème est survenu de mon côté ; merci de réessayer dans une minute.",
    # intros and exchanges
    "intro.pair": (
        "Bonjour {teacher} et {learner} ! :wave:\n"
        "{teacher} peut enseigner *{teach}*, et {learner} souhaite apprendre *{learn}*."
    ),
    "intro.next": (
        "Prochaine étape : convenez d’un moment pour une première séance (un appel ou un café, "
        "environ une heure). Utilisez *Planifier* pour la fixer, *Nous avons échangé* une fois "
        "qu’elle a eu lieu, ou *Ça ne convient pas* si cela ne fonctionne pas."
    ),
    "intro.lesson": "{teacher} enseigne *{teach}* à {learner} (qui souhaite apprendre *{learn}*)",
    "intro.many": "Bonjour {people} ! :wave: Rex pense que vous pouvez vous entraider :",
    "intro.swap": "Bonjour {people} ! :wave: Un échange croisé : chacun enseigne à l’autre.",
    "intro.cycle": ("Bonjour {people} ! :wave: Un cercle à trois : chacun enseigne au suivant."),
    "intro.group": (
        "Bonjour {people} ! :wave: Un petit groupe : {teacher} vous enseigne *{skill}* à tous."
    ),
    "intro.speaks": "parle {languages}",
    "intro.french_line": (
        "_En français :_ Rex écrit à chacun dans sa langue ; `/rex langue fr` choisit le "
        "français pour vous."
    ),
    "intro.local_time": "heure locale {time}",
    "intro.meets": "préfère se voir {preference}",
    "intro.wants": "{learner} aimerait apprendre : _{note}_",
    "intro.agenda": (
        "*Une première séance, par exemple :* cinq minutes sur ce que chacun en attend, "
        "puis l’essentiel (montrer, essayer, questionner), et pour finir, ce qu’il faut "
        "pratiquer et s’il faut se revoir."
    ),
    "button.schedule": "Planifier",
    "button.met": "Nous avons échangé",
    "button.not_fit": "Ça ne convient pas",
    "button.evaluate": "Oui, c’est fait",
    "schedule.title": "Planifier une séance",
    "schedule.submit": "Planifier",
    "schedule.date": "Date",
    "schedule.place": "Lieu ou lien de visio",
    "schedule.place_hint": "par ex. salle 4.12, ou un lien de réunion",
    "schedule.done": "{who} a planifié une séance : {when}{place}.",
    "schedule.place_suffix": " ({place})",
    "met.done": (
        "{who} indique que vous avez échangé. Merci ! Une courte évaluation va être proposée à "
        "chaque personne."
    ),
    "met.already": "C’est déjà noté : vous avez échangé. Merci !",
    "not_fit.done": (
        "{who} ne peut pas donner suite à cette mise en relation. Aucun souci : tout le monde "
        "revient dans le vivier pour le prochain tour."
    ),
    "not_fit.title": "Ça ne convient pas",
    "not_fit.submit": "Envoyer",
    "not_fit.reason": "Pourquoi, si vous souhaitez le dire (facultatif)",
    "not_fit.reason_hint": (
        "Seule l’équipe d’animation l’utilise, pour des synthèses ; les autres ne le voient jamais."
    ),
    "button.report": "Signaler un problème",
    "report.title": "Signaler un problème",
    "report.submit": "Envoyer",
    "report.text": "Que s’est-il passé ?",
    "report.hint": (
        "Seule l’équipe d’animation lit ce message ; les autres personnes de l’échange ne le "
        "voient jamais."
    ),
    "report.thanks": (
        "Merci. Votre signalement a été transmis uniquement à l’équipe d’animation ; quelqu’un va "
        "revenir vers vous."
    ),
    "report.posted": (
        ":warning: *Problème signalé* par {who} à propos d’un échange avec {people} (échange "
        "{exchange}) :\n"
        ">{text}"
    ),
    "nudge.text": (
        "Petit rappel, {people} : avez-vous trouvé un moment pour une première séance ? Utilisez "
        "*Planifier*, indiquez-moi *Nous avons échangé*, ou choisissez *Ça ne convient pas* si "
        "cela ne fonctionne pas : toutes les réponses sont les bienvenues."
    ),
    "expired.text": (
        "Cette mise en relation a expiré après {days} jours sans nouvelles. Aucun souci : vous "
        "revenez toutes et tous dans le vivier pour le prochain tour."
    ),
    "auto_paused.text": (
        "Vos dernières mises en relation ({count}) ont expiré sans nouvelles, j’ai donc mis les "
        "vôtres en pause pour le moment. Que souhaitez-vous faire ?"
    ),
    "button.keep_active": "Garder mon profil actif",
    "button.pause_me": "Faire une pause jusqu’au…",
    "button.leave": "Quitter Rex",
    "schedule.time": "Heure (votre heure locale)",
    "schedule.duration": "Durée",
    "schedule.minutes": "{minutes} min",
    "schedule.done_full": (
        "{who} a planifié une séance : {when}, durée {minutes} min{place}. L’invitation est "
        "jointe : ouvrez-la pour l’ajouter à votre agenda."
    ),
    "schedule.ics_title": "Rex : {skills}",
    "schedule.ics_description": "Échange de savoirs avec {people}, proposé par Rex.",
    "reminder.text": "Rappel – votre séance : {when}{place}. Bon échange !",
    "error.time": "Choisissez une heure valide.",
    "error.place": "Ce lien ne semble pas correct : {reason}",
    "exchange.closed": "Cet échange est clos.",
    "exchange.not_yours": "Cet échange concerne d’autres personnes.",
    # follow-up and evaluation
    "followup.text": (
        "Votre séance sur *{skill}* avec {others} a-t-elle eu lieu ? Si oui, deux minutes "
        "d’évaluation aident le réseau (seuls des résultats agrégés sont diffusés)."
    ),
    "followup.reminder": (
        "Petit rappel : votre séance sur *{skill}* avec {others} a-t-elle eu lieu ? Sans "
        "nouvelles, je clôturerai cet échange dans quelques jours."
    ),
    "button.not_yet": "Pas encore (reporter)",
    "button.wont_happen": "Ça ne se fera pas",
    "wont_happen.done": (
        "{who} indique que ça ne se fera pas cette fois. Aucun souci : chacun retourne dans "
        "le vivier pour le prochain tour."
    ),
    "closed.text": "Sans nouvelles, j’ai clôturé cet échange. Merci à tous !",
    "another.asked": "{who} aimerait une autre séance : choisissez un moment avec *Planifier*.",
    "eval.useful": "Enseigner vous a-t-il été utile ?",
    "eval.another": "Et ensuite",
    "eval.another.yes": "J’aimerais une autre séance",
    "eval.title": "Comment ça s’est passé ?",
    "eval.submit": "Envoyer",
    "eval.satisfaction": "Votre satisfaction",
    "eval.satisfaction.1": "1 – Pas du tout satisfaisant",
    "eval.satisfaction.2": "2 – Peu satisfaisant",
    "eval.satisfaction.3": "3 – Plutôt satisfaisant",
    "eval.satisfaction.4": "4 – Satisfaisant",
    "eval.satisfaction.5": "5 – Très satisfaisant",
    "eval.goal": "L’objectif d’apprentissage est-il atteint ?",
    "eval.goal.yes": "Oui",
    "eval.goal.partly": "En partie",
    "eval.goal.no": "Non",
    "eval.hours": "Temps consacré (en heures)",
    "eval.comment": "Commentaire privé (facultatif)",
    "eval.comment_hint": (
        "Seule l’équipe d’animation l’utilise, pour des synthèses ; personne d’autre ne le lit."
    ),
    "eval.thanks": (
        "Merci pour votre évaluation ! Elle comptabilise {hours} h de temps d’apprentissage."
    ),
    "eval.already": "Votre évaluation est mise à jour. Merci !",
    # rounds
    "round.done.one": "Tour terminé : {count} mise en relation en cours d’envoi.",
    "round.done.other": "Tour terminé : {count} mises en relation en cours d’envoi.",
    "unmatched.nobody_teaches": (
        "Pas de mise en relation pour vous à ce tour : personne dans le réseau n’enseigne encore "
        "*{skill}*{others}. Je chercherai de nouveau à chaque tour ; toute personne qui maîtrise "
        "le sujet peut rejoindre le réseau avec `/rex rejoindre`."
    ),
    "unmatched.teachers_busy": (
        "Pas de mise en relation pour vous à ce tour : les personnes qui enseignent *{skill}* "
        "n’ont plus de disponibilité{others}. Vous serez prioritaire au prochain tour."
    ),
    "unmatched.only_avoided_or_recent": (
        "Pas de mise en relation pour vous à ce tour : vous avez rencontré récemment les personnes "
        "qui enseignent *{skill}*, ou demandé à ne pas les rencontrer. Je continue à chercher."
    ),
    "unmatched.nothing_to_teach": (
        "Je n’ai pas pu vous mettre en relation à ce tour : les échanges sont réciproques, ajoutez "
        "donc une compétence que vous pouvez enseigner avec `/rex enseigner <compétence>`."
    ),
    "unmatched.nothing_to_learn": (
        "Je n’ai pas pu vous mettre en relation à ce tour : ajoutez une compétence que vous voulez "
        "apprendre avec `/rex apprendre <compétence>`."
    ),
    "unmatched.others.one": " ; {count} autre personne souhaite aussi l’apprendre",
    "unmatched.others.other": " ; {count} autres personnes souhaitent aussi l’apprendre",
    "preview.title": "Aperçu du tour (rien n’a été envoyé)",
    "preview.summary": (
        "Échanges proposés : *{exchanges}* (échanges croisés : {swaps}, cycles : {cycles}, "
        "groupes : {groups}, binômes : {pairs}) · personnes qui vont apprendre : *{served}* · sans "
        "mise en relation : *{unmatched}*"
    ),
    "preview.line.pair": "{teacher} enseigne *{skill}* à {learner}",
    "preview.line.swap": "{first} et {second} échangent *{skill}* / *{other}*",
    "preview.line.cycle": "cycle : {people}",
    "preview.line.group": "{teacher} enseigne *{skill}* à un groupe : {learners}",
    "preview.more": "… et {count} de plus.",
    "preview.wanted": "*Compétences demandées que personne n’enseigne :* {skills}",
    "admin.only": "Cette commande est réservée à l’équipe d’administration de Rex.",
    "admin.usage": (
        "Commandes d’administration : `/rex admin round`, `/rex admin preview`, "
        "`/rex admin digest`, `/rex admin export [csv|xapi] [AAAA-MM-JJ] [AAAA-MM-JJ]`, "
        "`/rex admin stats`, `/rex admin pause @quelqu’un`, `/rex admin approval on|off` ; "
        "`digest` et `stats` acceptent `semaine`, `mois` ou `trimestre`."
    ),
    "admin.paused": "{who} est en pause. Il suffira de taper `/rex reprendre` pour revenir.",
    "admin.not_member": "{who} n’est pas membre de Rex.",
    "leaderboard.on": (
        "Le bilan pourra désormais vous citer parmi les personnes qui ont le plus partagé."
    ),
    "leaderboard.off": "Le bilan ne vous citera plus.",
    "leaderboard.usage": "`/rex classement oui` ou `/rex classement non`",
    "approval.title": "*Proposition {exchange}* ({kind}) :",
    "approval.approved": "Approuvée par {who} : la mise en relation part.",
    "approval.rejected": "Refusée par {who} : personne n’a été prévenu.",
    "approval.swapped": "Remplacée par {who} : {count} nouvelle(s) proposition(s) suivent.",
    "approval.on": (
        "Validation activée : les propositions de chaque tour passent d’abord par <#{channel}>."
    ),
    "approval.off": "Validation désactivée : les mises en relation partent directement.",
    "approval.no_channel": (
        "Définissez d’abord REX_MANAGERS_CHANNEL : c’est là que les propositions sont validées."
    ),
    "button.approve": "Approuver",
    "button.swap_out": "Remplacer",
    "button.reject": "Refuser",
    "export.sent": (
        "Je vous ai envoyé {count} traces d’apprentissage en {format} dans notre conversation."
    ),
    "export.usage": "Dates au format AAAA-MM-JJ : `/rex admin export csv 2026-11-01 2026-11-30`",
    "hours.title": "*Votre temps d’apprentissage avec Rex*, par compétence :",
    "hours.line": "• *{skill}* : {taught} h enseignées, {learned} h apprises",
    "hours.none": "Aucune séance évaluée pour l’instant.",
    "digest.posted": "Bilan publié dans <#{channel}>.",
    "digest.no_channel": (
        "Aucun canal n’est défini pour le bilan : demandez à la personne qui gère Rex de "
        "renseigner REX_DIGEST_CHANNEL."
    ),
    # digest
    "digest.title": "Bilan Rex du {since} au {until}",
    "digest.quiet": (
        "*Période calme :* personne n’a rejoint le réseau et aucun échange n’a été proposé, "
        "réalisé ni évalué. Membres actifs prêts pour le prochain tour : {active}."
    ),
    "digest.members": (
        "*Membres*\nactifs : {active} · nouveaux : {new}\n"
        "en pause : {paused} · partis : {left} · profils incomplets : {incomplete}"
    ),
    "digest.exchanges": (
        "*Échanges*\nproposés : {proposed} · réalisés : {held} · évalués : {evaluated}\n"
        "déclinés : {declined} · expirés : {expired} · séances réalisées : {sessions}"
    ),
    "digest.hours": "*Temps d’apprentissage*\n{hours} h",
    "digest.quality": (
        "*Qualité* (évaluations : {evaluations})\n"
        "satisfaits (4 ou 5 sur 5) : {satisfaction} · moyenne : {average}/5\n"
        "objectifs atteints : {yes} · en partie : {partly}"
    ),
    "digest.too_few": (
        "*Qualité*\nLes notes s’affichent dès que {k} personnes au moins ont évalué "
        "(évaluations pour l’instant : {evaluations})."
    ),
    "digest.response": "évaluations rendues : {rate} ({given} sur {asked})",
    "digest.points": "{points} points",
    "digest.more": " et {count} de plus",
    "digest.offered": "*Les plus proposées :* {skills}",
    "digest.requested": "*Les plus demandées :* {skills}",
    "digest.orphans": "*Demandées mais que personne n’enseigne encore (à recruter) :* {skills}",
    "digest.idle": "*Proposées mais que personne ne demande encore :* {skills}",
    "digest.skill_quality": (
        "*Satisfaction par compétence* (chacune d’après {k} personnes au moins) : {skills}"
    ),
    "digest.skill_quality.item": "*{skill}* : {satisfaction} ({evaluations})",
    "digest.leaderboard": "*Ont partagé le plus d’heures* (membres volontaires) : {people}",
    "digest.learners": "*Ont le plus appris :* {people}",
    "digest.person": "{name} ({hours} h)",
    "digest.privacy": (
        "Les notes n’apparaissent qu’en totaux des évaluations d’au moins {k} personnes ; "
        "les commentaires ne quittent jamais Rex. Seuls les membres volontaires "
        "(`/rex classement oui`) sont nommés."
    ),
    "chart.title": "Rex, les {weeks} dernières semaines",
    "chart.proposed": "Échanges proposés",
    "chart.sessions": "Séances réalisées",
    "chart.count": "Échanges et séances",
    "chart.hours": "Heures d’apprentissage",
    "chart.satisfaction": "Satisfaits (4 ou 5 sur 5)",
    "chart.week": "Semaine du",
    "chart.too_few": "Satisfaction affichée pour les semaines évaluées par {k} personnes ou plus",
    # home
    "home.title": "Rex",
    "home.intro": "Partagez ce que vous savez, apprenez ce qui vous intéresse.",
    "home.not_member": (
        "Vous n’avez pas encore rejoint le réseau : tapez `/rex rejoindre` pour commencer."
    ),
    "home.status": "*Statut :* {status}",
    "home.about": "*À propos de moi :* {bio}",
    "home.meeting": "*Format des échanges :* {preference} · *Langues :* {languages}",
    "home.teach": "*Ce que vous pouvez enseigner*",
    "home.learn": "*Ce que vous voulez apprendre*",
    "home.balance": "*Donner et recevoir :* enseigné {taught} h · appris {learned} h",
    "home.open": "*Échanges en cours*",
    "home.past": "*Échanges passés*",
    "home.exchange": "{skills} avec {people} · {state} · {date}",
    "home.none": "rien pour l’instant",
    "button.edit_profile": "Modifier mon profil",
    "button.add_skill": "Ajouter une compétence",
    "button.pause": "Mettre en pause",
    "button.resume": "Reprendre",
    "button.match_now": "Me mettre en relation",
}

# --- operations: Slack's account lifecycle, calendar cancellations ---------------------------
FR.update(
    {
        "withdrawn.text": (
            "L’une des personnes de cette mise en relation n’est plus sur Slack : Rex la "
            "clôt donc. Merci à toutes et à tous : les autres reviennent dans le vivier "
            "pour le prochain tour."
        ),
        "uninvite.title": "Séance annulée",
        "uninvite.text": "Cette séance n’aura pas lieu : voici l’annulation pour votre agenda.",
    }
)
