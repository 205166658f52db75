<?php
/**
 * Settings → WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Constants;
use WorkOS_WP\Settings\Registry;
use WorkOS_WP\Settings\Validator;

defined( 'ABSPATH' ) || exit;

/**
 * The settings screen renders Settings\Registry: its sections, and each
 * setting's label, help and field by its type. Values are checked by each
 * setting's rule (Settings\Validator) and stored by Settings.
 */
final class SettingsPage {

	public const SLUG = 'workos';

	/**
	 * True while save_network() writes the network option: update_site_option()
	 * runs the same sanitize filter as a site's option, and the value is
	 * already clean for the network.
	 *
	 * @var bool
	 */
	private static $saving_network = false;

	/**
	 * What sanitize() last returned: WordPress sanitizes a new option twice
	 * (update_option(), then add_option() with the clean value), and the
	 * second pass must neither ask WorkOS again nor report twice.
	 *
	 * @var array|null
	 */
	private static $last_clean = null;

	/**
	 * Why WorkOS's organizations could not be listed ('' when they could).
	 *
	 * @var string
	 */
	private static $organizations_error = '';

	/**
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		// The menu entry is short ("WorkOS"): the product's full name wraps in the admin menu.
		add_options_page(
			\WorkOS_WP\PRODUCT_NAME,
			'WorkOS',
			'manage_options',
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * network_admin_menu: Network Admin → Settings → WorkOS, where the
	 * network's settings (Registry `network`) are set.
	 */
	public static function add_network_menu(): void {
		add_submenu_page(
			'settings.php',
			\WorkOS_WP\PRODUCT_NAME,
			'WorkOS',
			'manage_network_options',
			self::SLUG,
			array( self::class, 'render_network' )
		);
	}

	/**
	 * Which settings a screen holds: `all` on a single site, `site` on a
	 * site of a network (everything but the network's settings), `network`
	 * in the network admin (only those).
	 */
	private static function scope(): string {
		if ( ! is_multisite() ) {
			return 'all';
		}
		return is_network_admin() ? 'network' : 'site';
	}

	/**
	 * Whether a screen or form of this scope may hold the setting.
	 *
	 * @param string $key   Setting key.
	 * @param string $scope See scope().
	 */
	private static function in_scope( string $key, string $scope ): bool {
		return 'all' === $scope || ( 'network' === $scope ) === ! empty( Registry::SETTINGS[ $key ]['network'] );
	}

	/**
	 * Sections of the screen and the settings each holds.
	 */
	private static function sections(): array {
		$scope    = self::scope();
		$sections = array();
		foreach ( self::all_sections() as $id => $def ) {
			$def[1] = array_values( array_filter( $def[1], static fn( $key ) => self::in_scope( $key, $scope ) ) );
			if ( $def[1] ) {
				$sections[ $id ] = $def;
			}
		}
		return $sections;
	}

	/**
	 * Every section — [title, setting keys, environment, tab] — before
	 * scope() filters them, from Registry::SECTIONS and each setting's
	 * `section`. An `each` section is repeated per environment; the
	 * environment applies to the per-environment settings of a section.
	 */
	private static function all_sections(): array {
		$sections = array();
		foreach ( Registry::SECTIONS as $id => list( $tab, $envs ) ) {
			$keys = array_keys( array_filter( Registry::SETTINGS, static fn( array $def ): bool => ( $def['section'] ?? '' ) === $id ) );
			if ( 'each' === $envs ) {
				foreach ( Settings::ENVIRONMENTS as $env ) {
					$sections[ $id . '_' . $env ] = array( Registry::section_title( $id, $env ), $keys, $env, $tab );
				}
				continue;
			}
			$sections[ $id ] = array( Registry::section_title( $id ), $keys, 'active' === $envs ? Settings::environment() : null, $tab );
		}
		return $sections;
	}

	/**
	 * The screen's tabs.
	 */
	public static function tabs(): array {
		return array(
			'settings'     => __( 'Settings', 'workos' ),
			'organization' => __( 'Organization', 'workos' ),
			'users'        => __( 'Users', 'workos' ),
		);
	}

	/**
	 * The setting keys a tab's form holds.
	 *
	 * @param string $tab Tab.
	 */
	private static function keys_of_tab( string $tab ): array {
		$keys = array();
		foreach ( self::sections() as $def ) {
			if ( '1' === $tab || $def[3] === $tab ) {
				$keys = array_merge( $keys, $def[1] );
			}
		}
		return $keys;
	}

	/**
	 * Registers the option and its fields with the Settings API.
	 */
	public static function register(): void {
		register_setting(
			self::SLUG,
			Settings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'default'           => array(),
			)
		);
		$texts   = Registry::texts();
		$network = 'network' === self::scope();
		foreach ( self::sections() as $section => $def ) {
			list( $title, $keys, $env, $tab ) = $def;
			// The network screen has no tabs: one form holds every network setting.
			$page = self::SLUG . '_' . ( $network ? 'network' : $tab );
			add_settings_section( $section, $title, array( self::class, 'render_section' ), $page );
			foreach ( $keys as $key ) {
				// Only a per-environment setting is stored per environment.
				$field_env = empty( Registry::SETTINGS[ $key ]['per_environment'] ) ? null : $env;
				$id        = 'workos_' . ( $field_env ? $field_env . '_' : '' ) . $key;
				add_settings_field(
					$id,
					$texts[ $key ][0],
					array( self::class, 'render_field' ),
					$page,
					$section,
					array(
						'key'       => $key,
						'env'       => $field_env,
						'label_for' => $id,
						'help'      => $texts[ $key ][1],
					)
				);
			}
			// Under each environment's credentials: try them before saving (SettingsCheck).
			if ( 0 === strpos( $section, 'workos_env_' ) ) {
				add_settings_field( 'workos_' . $env . '_test_connection', __( 'Connection', 'workos' ), array( SettingsCheck::class, 'render_test_button' ), $page, $section, array( 'env' => $env ) );
			}
		}
	}

	/**
	 * Validates the submitted form. Stored secrets stay when their field is
	 * left blank, and a constant-backed value is never overwritten.
	 *
	 * @param mixed $input Submitted values.
	 */
	public static function sanitize( $input ): array {
		if ( self::$saving_network && is_array( $input ) ) {
			return $input;
		}
		if ( null !== self::$last_clean && $input === self::$last_clean ) {
			return $input;
		}
		$stored = get_option( Settings::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$input  = is_array( $input ) ? $input : array();
		// A site of a network never stores network settings, whatever is posted
		// (they would be ignored anyway: Settings reads them from the network).
		$scope = is_multisite() ? 'site' : 'all';
		SettingsCheck::begin();
		$clean = self::clean_input( $stored, $input, $scope );
		// Only the owner's form is checked live (code calling update_option() is not slowed down).
		if ( isset( $input['_form'] ) ) {
			$clean = SettingsCheck::live( $stored, $clean, $scope );
		}
		SettingsCheck::report( $stored, $clean );
		self::$last_clean = $clean;
		return $clean;
	}

	/**
	 * The value the last save refused for a field, shown again in it (null:
	 * none). See SettingsCheck.
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment field.
	 * @return mixed
	 */
	public static function rejected( string $key, ?string $env = null ) {
		return SettingsCheck::rejected( $key, $env );
	}

	/**
	 * network_admin_edit_workos: saves the network settings form. Only a
	 * network admin may; a site's admin gets a 403.
	 */
	public static function save_network(): void {
		if ( ! is_multisite() || ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage the WorkOS settings of this network.', 'workos' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( 'workos-network-settings' );
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- sanitised field by field in clean_input().
		$input  = isset( $_POST[ Settings::OPTION ] ) && is_array( $_POST[ Settings::OPTION ] ) ? wp_unslash( $_POST[ Settings::OPTION ] ) : array();
		$stored = get_site_option( Settings::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		SettingsCheck::begin();
		$clean                = SettingsCheck::live( $stored, self::clean_input( $stored, $input, 'network' ), 'network' );
		self::$saving_network = true;
		Settings::write( true, $clean );
		self::$saving_network = false;
		SettingsCheck::report( $stored, $clean );
		if ( ! get_settings_errors( Settings::OPTION ) ) {
			add_settings_error( Settings::OPTION, 'settings_updated', __( 'Settings saved.', 'workos' ), 'success' );
		}
		set_transient( 'settings_errors', get_settings_errors(), 30 );
		wp_safe_redirect(
			add_query_arg(
				array(
					'page'             => self::SLUG,
					'settings-updated' => 'true',
				),
				network_admin_url( 'settings.php' )
			)
		);
		exit;
	}

	/**
	 * Validates submitted values into the stored option. Stored secrets stay
	 * when their field is left blank, a constant-backed value is never
	 * overwritten, a constant's secret is never copied, and only the
	 * settings of the scope are touched.
	 *
	 * @param array  $stored The stored option.
	 * @param array  $input  Submitted values.
	 * @param string $scope  See scope().
	 */
	private static function clean_input( array $stored, array $input, string $scope ): array {
		// Unchecked boxes are absent from a submitted form; elsewhere (code
		// calling update_option) absence means "unchanged".
		$form_keys = array();
		if ( isset( $input['_form'] ) && is_string( $input['_form'] ) ) {
			$form_keys = 'network' === $scope ? Registry::keys_with( 'network' ) : self::keys_of_tab( $input['_form'] );
		}
		$clean = $stored;
		if ( 'network' !== $scope ) {
			$input = self::organization_input( $input );
		}
		$settings = Registry::all();
		foreach ( $settings as $key => $setting ) {
			if ( $setting->constant_only ) {
				continue;
			}
			if ( ! self::in_scope( $key, $scope ) ) {
				unset( $clean[ $key ] );
				continue;
			}
			if ( Settings::locked( $key ) ) {
				continue;
			}
			if ( 'bool' === $setting->type ) {
				if ( in_array( $key, $form_keys, true ) || isset( $input[ $key ] ) ) {
					$clean[ $key ] = ! empty( $input[ $key ] );
				}
				continue;
			}
			if ( ! isset( $input[ $key ] ) ) {
				continue;
			}
			$value = Validator::check( $setting, $input[ $key ] );
			if ( is_wp_error( $value ) ) {
				SettingsCheck::refuse( $key, null, $input[ $key ], $value->get_error_message() );
				continue;
			}
			if ( $setting->secret && '' === $value ) {
				continue;
			}
			$clean[ $key ] = $value;
		}
		foreach ( Settings::ENVIRONMENTS as $env ) {
			$given = is_array( $input['environments'][ $env ] ?? null ) ? $input['environments'][ $env ] : array();
			foreach ( Registry::keys_with( 'per_environment' ) as $key ) {
				if ( ! self::in_scope( $key, $scope ) ) {
					unset( $clean['environments'][ $env ][ $key ] );
					continue;
				}
				if ( Settings::locked( $key, $env ) ) {
					// A constant's value is kept in the database too (seeded),
					// except a secret's: secrets in wp-config.php stay there.
					if ( Settings::from_constant( $key, $env ) && ! $settings[ $key ]->secret ) {
						$clean['environments'][ $env ][ $key ] = Settings::get( $key, $env );
					}
					continue;
				}
				if ( ! array_key_exists( $key, $given ) ) {
					continue;
				}
				$value = Validator::check( $settings[ $key ], $given[ $key ] );
				if ( is_wp_error( $value ) ) {
					SettingsCheck::refuse( $key, $env, $given[ $key ], $value->get_error_message() );
					continue;
				}
				if ( $settings[ $key ]->secret && '' === $value ) {
					continue;
				}
				$clean['environments'][ $env ][ $key ] = $value;
			}
		}
		return $clean;
	}

	/**
	 * The Organization tab: a name typed in "create" makes a new WorkOS
	 * organization, and an id typed by hand wins over the picked one.
	 *
	 * @param array $input Submitted values.
	 */
	private static function organization_input( array $input ): array {
		$env    = Settings::environment();
		$manual = isset( $input['_organization_manual'] ) && is_string( $input['_organization_manual'] ) ? trim( sanitize_text_field( $input['_organization_manual'] ) ) : '';
		$create = isset( $input['_organization_create'] ) && is_string( $input['_organization_create'] ) ? trim( sanitize_text_field( $input['_organization_create'] ) ) : '';
		unset( $input['_organization_manual'], $input['_organization_create'] );
		if ( '' !== $manual ) {
			$input['environments'][ $env ]['organization_id'] = $manual;
		}
		if ( '' !== $create ) {
			try {
				$org = \WorkOS_WP\Api::client()->createOrganization( $create );
				\WorkOS_WP\Api::client()->forgetCachedOrganizations(); // Cached pickers offer it at once.
				$input['environments'][ $env ]['organization_id'] = (string) ( $org['id'] ?? '' );
				/* translators: 1: organization name, 2: its id. */
				add_settings_error( Settings::OPTION, 'workos_org_created', esc_html( sprintf( __( 'Organization "%1$s" created (%2$s).', 'workos' ), $create, $org['id'] ?? '' ) ), 'success' );
			} catch ( \WorkOS\Native\Exception $e ) {
				add_settings_error( Settings::OPTION, 'workos_org_create', esc_html( __( 'The organization could not be created: ', 'workos' ) . $e->getMessage() ) );
			}
		}
		return $input;
	}

	/**
	 * The organizations to pick from, live from WorkOS ([] when it cannot be asked).
	 */
	private static function organizations(): array {
		if ( ! \WorkOS_WP\extension_ready() || ! Settings::is_configured() ) {
			return array();
		}
		// Newest first, page by page (100 a page), so an organization just
		// created is always offered; 1,000 at most. A page that fails after
		// the first ends the list with what was fetched. Always live: an owner
		// who just created an organization at WorkOS finds it here. (Pickers
		// asked repeatedly use listOrganizationsCached(), which organization
		// webhooks and a creation here refresh.)
		$orgs = array();
		try {
			$all = \WorkOS_WP\Api::client()->listAllOrganizations( array( 'order' => 'desc' ), 1000 );
		} catch ( \WorkOS\Native\Exception $e ) {
			$all = array();
			// Said on the tab, not an empty list: the owner must know why.
			if ( $e instanceof \WorkOS\Native\ApiException && 401 === $e->getStatus() ) {
				self::$organizations_error = __( 'WorkOS rejected the API key, so its organizations cannot be listed here (and nobody can sign in through WorkOS). Fix the API key on the Settings tab — Test connection there checks it.', 'workos' );
			} else {
				/* translators: %s: WorkOS's answer. */
				self::$organizations_error = sprintf( __( 'The organizations could not be listed: %s You can still type an organization ID below.', 'workos' ), $e->getMessage() );
			}
		}
		foreach ( $all as $org ) {
			if ( is_string( $org['id'] ?? null ) ) {
				$orgs[ $org['id'] ] = (string) ( $org['name'] ?? $org['id'] );
			}
		}
		asort( $orgs, SORT_NATURAL | SORT_FLAG_CASE );
		return $orgs;
	}

	/**
	 * What a section is for, under its title: which environment's values
	 * it holds and whether they are the ones in use.
	 *
	 * @param array $section The section (`id`).
	 */
	public static function render_section( array $section ): void {
		$id     = (string) ( $section['id'] ?? '' );
		$active = Settings::environment();
		$names  = Registry::choice_names()['environment'];
		$text   = '';
		if ( 0 === strpos( $id, 'workos_env_' ) ) {
			$env  = substr( $id, strlen( 'workos_env_' ) );
			$text = $env === $active
				/* translators: %s: environment name. */
				? sprintf( __( 'In use: %s is the active environment, so these credentials sign people in.', 'workos' ), $names[ $env ] ?? $env )
				/* translators: 1: environment name, 2: the active environment's name. */
				: sprintf( __( 'Not in use while %2$s is active: these are used once %1$s is chosen as the active environment above. They never borrow %2$s\'s values.', 'workos' ), $names[ $env ] ?? $env, $names[ $active ] ?? $active );
		} elseif ( 'workos_organization' === $id ) {
			/* translators: %s: environment name. */
			$text = sprintf( __( 'For the active environment, %s: each environment has its own organization.', 'workos' ), $names[ $active ] ?? $active );
		} elseif ( 'workos_redirects' === $id ) {
			$text = __( 'Where people land after signing in or out. Every target must be on this site.', 'workos' );
		} elseif ( 'workos_network' === $id ) {
			$text = __( 'Only needed when the site sits behind a load balancer or reverse proxy.', 'workos' );
		}
		if ( '' !== $text ) {
			echo '<p class="workos-section-note">' . esc_html( $text ) . '</p>';
		}
	}

	/**
	 * One field, from its Registry definition (see Fields). A value the last
	 * save refused is shown again, so it can be corrected.
	 *
	 * @param array $args Field arguments: `key`, `env`.
	 */
	public static function render_field( array $args ): void {
		$key   = $args['key'];
		$env   = $args['env'] ?? null;
		$state = array( 'rejected' => self::rejected( $key, $env ) );
		if ( 'organization_id' === $key ) {
			$state['control'] = array( self::class, 'render_organization_picker' );
			$state['after']   = array( self::class, 'render_organization_other' );
		}
		Fields::render( Registry::setting( $key ), $env, $state );
	}

	/**
	 * The organization field: picked by name from WorkOS's live list, typed
	 * by hand, or created (Fields::render() calls it for the control).
	 *
	 * @param string $id          Field id.
	 * @param string $name        Field name.
	 * @param string $current     Current organization id.
	 * @param string $describedby Ids of the notes that describe it.
	 */
	public static function render_organization_picker( string $id, string $name, string $current, string $describedby = '' ): void {
		$orgs = self::organizations();
		if ( '' !== self::$organizations_error ) {
			// The credentials are on the Settings tab (the network's screen on a network).
			$fix = is_multisite() ? network_admin_url( 'settings.php?page=' . self::SLUG ) : admin_url( 'options-general.php?page=' . self::SLUG . '&tab=settings' );
			printf(
				'<div class="notice notice-error inline workos-organizations-error"><p>%1$s <a href="%2$s">%3$s</a></p></div>',
				esc_html( self::$organizations_error ),
				esc_url( $fix . '#workos_' . Settings::environment() . '_api_key' ),
				esc_html__( 'Check the credentials', 'workos' )
			);
		}
		printf( '<select id="%1$s" name="%2$s" aria-describedby="%3$s"><option value="">%4$s</option>', esc_attr( $id ), esc_attr( $name ), esc_attr( $describedby ), esc_html__( '— None —', 'workos' ) );
		if ( '' !== $current && ! isset( $orgs[ $current ] ) ) {
			$orgs[ $current ] = $current;
		}
		foreach ( $orgs as $org_id => $org_name ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $org_id ), selected( $current, $org_id, false ), esc_html( $org_name === $org_id ? $org_id : $org_name . ' (' . $org_id . ')' ) );
		}
		echo '</select>';
	}

	/**
	 * Under the organization picker's help: the organization typed by ID, or
	 * created at WorkOS.
	 *
	 * @param string $id The picker's id.
	 */
	public static function render_organization_other( string $id ): void {
		printf(
			'<p class="workos-org-other"><label for="%1$s-manual">%2$s</label><br /><input type="text" id="%1$s-manual" class="regular-text code" name="%3$s[_organization_manual]" placeholder="org_…" spellcheck="false" /></p>',
			esc_attr( $id ),
			esc_html__( 'Or type its ID', 'workos' ),
			esc_attr( Settings::OPTION )
		);
		printf(
			'<p class="workos-org-other"><label for="%1$s-create">%2$s</label><br /><input type="text" id="%1$s-create" class="regular-text" name="%3$s[_organization_create]" /></p>',
			esc_attr( $id ),
			esc_html__( 'Or create an organization at WorkOS named', 'workos' ),
			esc_attr( Settings::OPTION )
		);
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- which tab to show.
		$tab  = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : 'settings';
		$tabs = self::tabs();
		$tab  = isset( $tabs[ $tab ] ) ? $tab : 'settings';
		echo '<div class="wrap workos-settings"><h1>' . esc_html( \WorkOS_WP\PRODUCT_NAME ) . '</h1>';
		if ( 'site' === self::scope() ) {
			self::render_network_note();
		}
		self::render_constant_errors();
		echo '<nav class="nav-tab-wrapper wp-clearfix" aria-label="' . esc_attr__( 'WorkOS settings', 'workos' ) . '">';
		foreach ( $tabs as $slug => $label ) {
			printf(
				'<a href="%1$s" class="nav-tab%2$s"%3$s>%4$s</a>',
				esc_url( admin_url( 'options-general.php?page=' . self::SLUG . '&tab=' . $slug ) ),
				$slug === $tab ? ' nav-tab-active' : '',
				$slug === $tab ? ' aria-current="page"' : '',
				esc_html( $label )
			);
		}
		echo '</nav>';
		if ( 'settings' === $tab ) {
			// A site of a network has its own redirect URI; the webhook is the network's.
			self::render_endpoints( true, 'site' !== self::scope() );
		}
		echo '<form method="post" action="options.php">';
		settings_fields( self::SLUG );
		printf( '<input type="hidden" name="%s[_form]" value="%s" />', esc_attr( Settings::OPTION ), esc_attr( $tab ) );
		do_settings_sections( self::SLUG . '_' . $tab );
		submit_button();
		echo '</form></div>';
	}

	/**
	 * What to register in the WorkOS dashboard: this site's redirect URI and
	 * the webhook endpoint, in read-only fields (they fit any screen and copy
	 * whole).
	 *
	 * @param bool $redirect Whether to show this site's redirect URI.
	 * @param bool $webhook  Whether to show the webhook endpoint (the screen holds the webhook secret).
	 */
	private static function render_endpoints( bool $redirect, bool $webhook ): void {
		$rows = array();
		if ( $redirect ) {
			$rows['workos-redirect-uri'] = array( __( 'Redirect URI', 'workos' ), home_url( \WorkOS_WP\CALLBACK_PATH ), __( 'Add it in the WorkOS dashboard → Redirects.', 'workos' ) );
			// WorkOS emails reset links to this URL with `?token=`: the hosted login's reset step (Hosted\Reset).
			$rows['workos-password-reset-url'] = array( __( 'Password reset URL', 'workos' ), home_url( user_trailingslashit( 'workos/login/default' ) ), __( 'For password resets in this site\'s sign-in page: set it as the password reset URL in the WorkOS dashboard → Redirects (WorkOS adds the link\'s token).', 'workos' ) );
		}
		if ( $webhook ) {
			$rows['workos-webhook-url'] = array( __( 'Webhook endpoint', 'workos' ), rest_url( 'workos/v1/webhook' ), __( 'Add it in the WorkOS dashboard → Webhooks; its signing secret goes in "Webhook secret" below.', 'workos' ) );
		}
		echo '<h2>' . esc_html( $redirect ? __( 'Register this site at WorkOS', 'workos' ) : __( 'Register at WorkOS', 'workos' ) ) . '</h2><table class="form-table workos-endpoints" role="presentation">';
		foreach ( $rows as $id => list( $label, $url, $help ) ) {
			printf(
				'<tr><th scope="row"><label for="%1$s">%2$s</label></th><td><input type="text" id="%1$s" class="large-text code" value="%3$s" readonly="readonly" aria-describedby="%1$s-description" /><p class="description" id="%1$s-description">%4$s</p></td></tr>',
				esc_attr( $id ),
				esc_html( $label ),
				esc_attr( $url ),
				esc_html( $help )
			);
		}
		echo '</table>';
	}

	/**
	 * Constants in wp-config.php that cannot be used as written (see
	 * Settings\Constants), for the settings this screen holds: said at the
	 * top, as each one's locked field says too.
	 */
	private static function render_constant_errors(): void {
		$scope  = self::scope();
		$errors = Constants::errors( static fn( string $key ): bool => self::in_scope( $key, $scope ) );
		if ( ! $errors ) {
			return;
		}
		echo '<div class="notice notice-error inline workos-constant-errors"><p><strong>' . esc_html__( 'Some WorkOS constants in wp-config.php cannot be used as written:', 'workos' ) . '</strong></p><ul>';
		foreach ( $errors as $error ) {
			echo '<li>' . esc_html( $error[2] ) . '</li>';
		}
		echo '</ul></div>';
	}

	/**
	 * On a site of a network: where the settings this screen does not hold are.
	 */
	private static function render_network_note(): void {
		$text = __( 'Credentials, the webhook secret, the API base URL, deprovisioning, role pushes to WorkOS, trusted proxies and activity retention apply to every site of the network (users are shared): only a network administrator sets them.', 'workos' );
		echo '<div class="notice notice-info inline workos-network-note"><p>' . esc_html( $text );
		if ( current_user_can( 'manage_network_options' ) ) {
			printf( ' <a href="%s">%s</a>', esc_url( network_admin_url( 'settings.php?page=' . self::SLUG ) ), esc_html__( 'Network Admin → Settings → WorkOS', 'workos' ) );
		}
		echo '</p></div>';
	}

	/**
	 * Network Admin → Settings → WorkOS.
	 */
	public static function render_network(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			return;
		}
		echo '<div class="wrap workos-settings"><h1>' . esc_html( sprintf( /* translators: %s: the plugin's name. */ __( '%s: network settings', 'workos' ), \WorkOS_WP\PRODUCT_NAME ) ) . '</h1>';
		settings_errors( Settings::OPTION );
		printf(
			'<p>%s</p>',
			esc_html__( 'These settings apply to every site of the network. Each site\'s own WorkOS screen holds its organization, roles, sign-in and redirects.', 'workos' )
		);
		self::render_constant_errors();
		self::render_endpoints( false, true ); // Each site's redirect URI is on its own screen.
		printf( '<form method="post" action="%s">', esc_url( network_admin_url( 'edit.php?action=' . self::SLUG ) ) );
		wp_nonce_field( 'workos-network-settings' );
		printf( '<input type="hidden" name="%s[_form]" value="network" />', esc_attr( Settings::OPTION ) );
		do_settings_sections( self::SLUG . '_network' );
		submit_button();
		echo '</form></div>';
	}
}
