/// The discussions of `--help`, in French, in one place. Each paragraph is one line: the argument
/// parser wraps it to the terminal's width (a line break inside a sentence would survive as a
/// fragment). Example lines start with two spaces and `perimetre`; every one runs as written from
/// the repository after `scripts/setup` (`HelpExamplesTests` runs them).
enum HelpTexts {
    static let root = """
        Entrées : des codes de membres (SIREN d'EPCI, codes INSEE de communes), un fichier de membres, un polygone dessiné, un fichier de territoires ou un export Démarches Simplifiées. Les exemples utilisent les fichiers de Samples/.

        Exemples :
          perimetre check 200065647 200069052 200069060
          perimetre check 248000531 248000747 --format html -o rapport.html
          perimetre audit Samples/candidatures.csv
          perimetre epci search "pays de gex"
          perimetre data info
        """

    static let check = """
        Les membres sont des SIREN d'EPCI (9 chiffres), des codes INSEE de communes (5 caractères, 2A/2B pour la Corse), des SIREN de communes ou des EPT (avec --composition), ou des noms d'EPCI. Codes de sortie : 0 analyse faite, 1 avec --strict quand un constat est bloquant, 2 entrée invalide, 70 erreur interne.

        Entrées, un exemple par sorte :
          perimetre check 200065647 200069052 200069060
          perimetre check "Grand Belfort" "Pays de Montbéliard Agglomération"
          perimetre check --members Samples/nord-franche-comte.csv
          perimetre check --members Samples/rouen-metropole.json
          perimetre check --members Samples/candidatures.csv --id ti-3202
          perimetre check --geometry Samples/bassin-genevois.geojson

        Formats de sortie :
          perimetre check --members Samples/albert-amiens.csv --format json
          perimetre check 248000531 248000747 --format html -o rapport.html
        """

    static let audit = """
        CANDIDATURES est un fichier de territoires : la liste ANCT des TI par membre ou par commune, la liste des CRTE, un CSV générique (identifiant du territoire, nom, code du membre) ou une couche de polygones (GeoJSON, GeoPackage). Les candidatures sont analysées en parallèle sur tous les cœurs ; le rapport suit l'ordre du fichier.

        Un export Démarches Simplifiées (XLSX, ODS, CSV de la table Dossiers, GeoJSON des zones dessinées ; plusieurs fichiers d'une même démarche ensemble) se lit directement : chaque dossier est une candidature ds-<ID>.

        Entrées, un exemple par sorte :
          perimetre audit Samples/candidatures.csv
          perimetre audit Samples/ds-franche-comte.xlsx
          perimetre audit Samples/ds-franche-comte.xlsx --ds-state accepte

        --region et --departement (répétables) retiennent les candidatures qui ont une commune dans la région ou le département ; les autres n'apparaissent que là où elles comptent pour la sélection (conflits, recouvrements, CRTE partagés). La sélection vaut pour tous les formats. Sans elles, le rapport est national (HTML et texte regroupés par région).
          perimetre audit Samples/candidatures.csv --region 27 --format json

        Formats de sortie :
          perimetre audit Samples/candidatures.csv --format html -o audit.html
          perimetre audit Samples/candidatures.csv --format svg -o audit.svg
        """

    static let diff = """
        AVANT et APRÈS sont chacun un fichier de membres, FICHIER#ID (un territoire d'un fichier qui en contient plusieurs) ou des codes de membres séparés par des virgules. Le verdict « modification à la marge » est rendu quand la population et la surface ajoutées et retirées représentent chacune au plus les seuils (10 % par défaut) de celles du périmètre labellisé et qu'aucune règle n'est nouvellement enfreinte. Codes de sortie : 0 fait, 1 avec --strict quand la modification n'est pas à la marge, 2 entrée invalide.

        Entrées, un exemple par sorte :
          perimetre diff Samples/nord-franche-comte.csv 200065647,200069052
          perimetre diff Samples/candidatures.csv#ti-2708 200065647,200069052
          perimetre diff Samples/albert-amiens.csv 248000531 --format html
        """

    static let map = """
        TERRITOIRES est un fichier de territoires (liste ANCT des TI par membre ou par commune, CSV générique, couche de polygones). Chaque territoire est analysé comme par `perimetre check` ; une entité par territoire (ou par membre avec --level member) porte son contour et ses chiffres. Les frontières communes sont découpées en arcs stockés une fois, simplifiés une fois (--simplify, en mètres, extrémités fixes, sans croisement créé) et arrondis une fois (--precision) : deux voisins partagent exactement la même frontière et chaque polygone reste valide une fois arrondi. Les territoires non résolus sont listés sur la sortie d'erreur et dans --report.

        --format topojson écrit du TopoJSON 1.0 : arcs stockés une fois, quantifiés sur une grille (--quantize, 1e5 points par axe par défaut ; arrondi par accrochage, les voisins gardent leurs arcs communs), sans les sommets que la grille ne distingue pas d'une droite, codés en différences ; l'objet `territories` (`members` avec --level member) porte les propriétés des entités GeoJSON ; --with-admin ajoute les objets `departements` et `regions`.

        --format svg écrit une affiche prête à imprimer (A4 paysage par défaut, --size) : la France métropolitaine en Lambert-93 et les cinq DROM en cartouches, chacun dans sa projection officielle, contours des régions sur ceux des départements, territoires colorés par région (--color-by), étiquettes, légende, échelles, titre et sources. Mise en page : docs/poster.md.

        Exemples :
          perimetre map Samples/candidatures.csv -o ti.geojson
          perimetre map Samples/candidatures.csv --simplify 100 -o web.geojson
          perimetre map Samples/candidatures.csv --format gpkg -o carte.gpkg
          perimetre map Samples/candidatures.csv --format topojson -o ti.topojson
          perimetre map Samples/candidatures.csv --format svg --labels id -o ti.svg
        """

    static let serve = """
        Sert une page et une petite API JSON au-dessus de la même analyse que `perimetre check` : POST /api/check {"members": [codes…], "against": [identifiants de couches…]} répond selon le schéma de `check --format json` ; une erreur répond {"error": "<message en français>", "code": "<code stable en anglais>"}. Écoute par défaut sur l'interface locale (loopback) ; toutes les ressources sont servies par l'outil lui-même.

        Exemples (puis ouvrez http://127.0.0.1:8080/) :
          perimetre serve
          perimetre serve --territories Samples/candidatures.csv
        """

    static let benchmark = """
        Cibles sur une machine à 2 cœurs : data info < 100 ms ; check de 5 EPCI ≤ 40 ms ; check de 50 EPCI < 1 s ; POST /api/check de 10 EPCI ≤ 5 ms ; 1 000 options générées ≤ 0,3 s ; audit des 183 TI avec les trois tables de composition, JSON ≤ 90 ms et ≤ 100 Mio, au moins 3 fois plus rapide que le pair Python (--peer) ; diff de deux options de 10 EPCI < 60 ms ; audit avec la couche CRTE 2022 ≤ 20 % au-dessus de l'audit sans ; audit des 183 TI 2023-2027 avec les 149 de 2019-2022 comme couche < 0,5 s ; carte < 1 s, simplifiée à 100 m < 2 s et < 5 Mo ; TopoJSON < 1 s et ≤ 600 ko ; affiche SVG < 1,5 s et ≤ 3 Mo ; data build < 15 s (avec --build) ; lecture d'un export Démarches Simplifiées XLSX de 183 dossiers < 50 ms, l'audit depuis celui-ci à 50 ms près de l'audit depuis le CSV.

        L'audit et la carte demandent les données partagées (--shared). Compilez d'abord perimetre en mode release (scripts/setup le fait).
        """

    static let epciSearch = """
        Exemples :
          perimetre epci search arve
          perimetre epci search 74
          perimetre epci search "pays de gex" --format json
        """
}
