<?php
/**
 * Settings → WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
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
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		add_options_page(
			__( 'WorkOS', 'workos' ),
			__( 'WorkOS', 'workos' ),
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
			__( 'WorkOS', 'workos' ),
			__( 'WorkOS', 'workos' ),
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
			add_settings_section( $section, $title, '__return_false', $page );
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
		$stored = get_option( Settings::OPTION, array() );
		// A site of a network never stores network settings, whatever is posted
		// (they would be ignored anyway: Settings reads them from the network).
		return self::clean_input( is_array( $stored ) ? $stored : array(), is_array( $input ) ? $input : array(), is_multisite() ? 'site' : 'all' );
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
		self::$saving_network = true;
		Settings::write( true, self::clean_input( is_array( $stored ) ? $stored : array(), $input, 'network' ) );
		self::$saving_network = false;
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
				add_settings_error( Settings::OPTION, 'workos_' . $key, $value->get_error_message() );
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
					add_settings_error( Settings::OPTION, 'workos_' . $env . '_' . $key, $value->get_error_message() );
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
				add_settings_error( Settings::OPTION, 'workos_org_created', sprintf( __( 'Organization "%1$s" created (%2$s).', 'workos' ), $create, $org['id'] ?? '' ), 'success' );
			} catch ( \WorkOS\Native\Exception $e ) {
				add_settings_error( Settings::OPTION, 'workos_org_create', __( 'The organization could not be created: ', 'workos' ) . $e->getMessage() );
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
	 * One field. Secrets are never printed: only a mask.
	 *
	 * @param array $args Field arguments.
	 */
	public static function render_field( array $args ): void {
		$key   = $args['key'];
		$env   = $args['env'] ?? null;
		$field = Registry::SETTINGS[ $key ];
		$id    = 'workos_' . ( $env ? $env . '_' : '' ) . $key;
		$name  = Settings::OPTION . ( $env ? '[environments][' . $env . ']' : '' ) . '[' . $key . ']';
		$lock  = Settings::locked( $key, $env ) ? ' disabled' : '';
		switch ( $field['type'] ) {
			case 'bool':
				printf( '<input type="checkbox" id="%1$s" name="%2$s" value="1"%3$s%4$s />', esc_attr( $id ), esc_attr( $name ), checked( Settings::flag( $key ), true, false ), esc_attr( $lock ) );
				break;
			case 'choice':
				printf( '<select id="%1$s" name="%2$s"%3$s>', esc_attr( $id ), esc_attr( $name ), esc_attr( $lock ) );
				foreach ( $field['choices'] as $choice ) {
					printf( '<option value="%1$s"%2$s>%1$s</option>', esc_attr( $choice ), selected( Settings::get( $key ), $choice, false ) );
				}
				echo '</select>';
				break;
			case 'map':
			case 'list':
				$lines = array();
				if ( 'map' === $field['type'] ) {
					foreach ( Settings::map( $key ) as $from => $to ) {
						$lines[] = $from . ' = ' . $to;
					}
				} else {
					$lines = Settings::items( $key );
				}
				printf( '<textarea id="%1$s" name="%2$s" rows="4" cols="50" class="large-text code"%4$s>%3$s</textarea>', esc_attr( $id ), esc_attr( $name ), esc_textarea( implode( "\n", $lines ) ), esc_attr( $lock ) );
				break;
			default:
				if ( 'organization_id' === $key && ! $lock ) {
					self::render_organization_picker( $id, $name, Settings::get( $key, $env ) );
					break;
				}
				$secret = ! empty( $field['secret'] );
				$value  = Settings::get( $key, $env );
				if ( $secret ) {
					printf(
						'<input type="password" id="%1$s" name="%2$s" class="regular-text" value="" placeholder="%3$s" autocomplete="new-password"%4$s />',
						esc_attr( $id ),
						esc_attr( $name ),
						esc_attr( Settings::mask( $value ) ),
						esc_attr( $lock )
					);
					if ( ! $lock ) {
						echo ' <p class="description">' . esc_html__( 'Stored values are never shown; leave blank to keep the current one.', 'workos' ) . '</p>';
					}
				} else {
					printf( '<input type="%4$s" id="%1$s" name="%2$s" class="regular-text" value="%3$s"%5$s />', esc_attr( $id ), esc_attr( $name ), esc_attr( $value ), 'url' === $field['type'] ? 'url' : 'text', esc_attr( $lock ) );
				}
		}
		if ( $lock && ! Settings::from_constant( $key, $env ) ) {
			// The API base URL follows the API key's constant (see Settings::locked()).
			/* translators: 1: PHP constant of the URL, 2: PHP constant of the API key. */
			echo ' <p class="description">' . esc_html( sprintf( __( 'The API key is set by a constant, so this URL can only be set by the %1$s constant too (%2$s).', 'workos' ), Settings::constant_name( $key, $env ), Settings::constant_name( 'api_key', $env ) ) ) . '</p>';
		} elseif ( $lock ) {
			/* translators: %s: PHP constant name. */
			echo ' <p class="description">' . esc_html( sprintf( __( 'Set by the %s constant.', 'workos' ), Settings::constant_name( $key, $env ) ) ) . '</p>';
		}
		if ( '' !== $args['help'] ) {
			echo ' <p class="description">' . esc_html( $args['help'] ) . '</p>';
		}
		// Without an organization the role map cannot apply (see RoleMap::from_claims()).
		$scope = 'role_map' === $key ? \WorkOS_WP\Users\RoleMap::scope_notice() : '';
		if ( '' !== $scope ) {
			echo ' <p class="description"><strong>' . esc_html( $scope ) . '</strong></p>';
		}
	}

	/**
	 * The organization field: picked by name from WorkOS's live list, typed
	 * by hand, or created.
	 *
	 * @param string $id      Field id.
	 * @param string $name    Field name.
	 * @param string $current Current organization id.
	 */
	private static function render_organization_picker( string $id, string $name, string $current ): void {
		$orgs = self::organizations();
		printf( '<select id="%1$s" name="%2$s"><option value="">%3$s</option>', esc_attr( $id ), esc_attr( $name ), esc_html__( '— none —', 'workos' ) );
		if ( '' !== $current && ! isset( $orgs[ $current ] ) ) {
			$orgs[ $current ] = $current;
		}
		foreach ( $orgs as $org_id => $org_name ) {
			printf( '<option value="%1$s"%2$s>%3$s (%1$s)</option>', esc_attr( $org_id ), selected( $current, $org_id, false ), esc_html( $org_name ) );
		}
		echo '</select>';
		printf(
			'<p><label>%1$s <input type="text" class="regular-text" name="%2$s[_organization_manual]" placeholder="org_…" /></label></p><p><label>%3$s <input type="text" class="regular-text" name="%2$s[_organization_create]" /></label></p>',
			esc_html__( 'Or its ID:', 'workos' ),
			esc_attr( Settings::OPTION ),
			esc_html__( 'Or create an organization named:', 'workos' )
		);
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'WorkOS', 'workos' ) . '</h1>';
		printf(
			'<p>%s <code>%s</code></p>',
			esc_html__( 'Redirect URI to register in the WorkOS dashboard:', 'workos' ),
			esc_html( home_url( \WorkOS_WP\SignIn\Callback::PATH ) )
		);
		printf(
			'<p>%s <code>%s</code></p>',
			esc_html__( 'Webhook endpoint:', 'workos' ),
			esc_html( rest_url( 'workos/v1/webhook' ) )
		);
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- which tab to show.
		$tab  = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : 'settings';
		$tabs = self::tabs();
		$tab  = isset( $tabs[ $tab ] ) ? $tab : 'settings';
		if ( 'site' === self::scope() ) {
			self::render_network_note();
		}
		echo '<nav class="nav-tab-wrapper">';
		foreach ( $tabs as $slug => $label ) {
			printf( '<a href="%1$s" class="nav-tab%2$s">%3$s</a>', esc_url( admin_url( 'options-general.php?page=' . self::SLUG . '&tab=' . $slug ) ), $slug === $tab ? ' nav-tab-active' : '', esc_html( $label ) );
		}
		echo '</nav>';
		echo '<form method="post" action="options.php">';
		settings_fields( self::SLUG );
		printf( '<input type="hidden" name="%s[_form]" value="%s" />', esc_attr( Settings::OPTION ), esc_attr( $tab ) );
		do_settings_sections( self::SLUG . '_' . $tab );
		submit_button();
		echo '</form></div>';
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
		echo '<div class="wrap"><h1>' . esc_html__( 'WorkOS (network)', 'workos' ) . '</h1>';
		settings_errors( Settings::OPTION );
		printf(
			'<p>%s</p>',
			esc_html__( 'These settings apply to every site of the network. Each site\'s own WorkOS screen holds its organization, roles, sign-in and redirects.', 'workos' )
		);
		printf( '<form method="post" action="%s">', esc_url( network_admin_url( 'edit.php?action=' . self::SLUG ) ) );
		wp_nonce_field( 'workos-network-settings' );
		printf( '<input type="hidden" name="%s[_form]" value="network" />', esc_attr( Settings::OPTION ) );
		do_settings_sections( self::SLUG . '_network' );
		submit_button();
		echo '</form></div>';
	}
}
