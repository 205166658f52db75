<?php
/**
 * Users → Profile (and Edit User): the WorkOS panel.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Schema;
use const WorkOS_WP\PLUGIN_FILE;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * For an account linked to a WorkOS user: which WorkOS user, its
 * organizations, the last sign-in here, and "Change email" (EmailChange,
 * through EmailChangeRest; the script in php-shim/js/account). WordPress's
 * own email field stays read-only (ProfileScreen): this is the one way.
 *
 * Everything shown is local (usermeta, the organizations mirror): opening a
 * profile makes no WorkOS call. Loaded on profile.php and user-edit.php only.
 */
final class ProfilePanel {

	/** The built script's folder, relative to the plugin. */
	public const BUILD_DIR = 'js/account/build/';

	/**
	 * The user the screen shows (set by load()).
	 *
	 * @var int
	 */
	private static $user_id = 0;

	/**
	 * load-profile.php / load-user-edit.php.
	 */
	public static function load(): void {
		// phpcs:ignore WordPress.Security.NonceVerification -- read-only: which screen is shown.
		$asked   = isset( $_REQUEST['user_id'] ) ? absint( $_REQUEST['user_id'] ) : 0;
		$user_id = $asked && 'user-edit.php' === ( $GLOBALS['pagenow'] ?? '' ) ? $asked : get_current_user_id();
		if ( ! $user_id || '' === EmailChange::linked_id( $user_id ) ) {
			return; // Not WorkOS's: nothing to show.
		}
		self::$user_id = $user_id;
		// After the personal options (ProfileScreen prints the kept form at 0), before Passkeys (20).
		add_action( 'show_user_profile', array( self::class, 'render' ), 5 );
		add_action( 'edit_user_profile', array( self::class, 'render' ), 5 );
		if ( extension_ready() && EmailChange::enabled() ) {
			add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
		}
	}

	/**
	 * admin_enqueue_scripts (those two screens only).
	 */
	public static function enqueue(): void {
		$dir   = dirname( PLUGIN_FILE ) . '/' . self::BUILD_DIR;
		$asset = is_readable( $dir . 'index.asset.php' ) ? include $dir . 'index.asset.php' : null;
		if ( ! is_array( $asset ) ) {
			return; // Not built (scripts/js-build.sh): the panel still shows its facts.
		}
		$url = plugins_url( self::BUILD_DIR, PLUGIN_FILE );
		wp_enqueue_script( 'workos-account', $url . 'index.js', $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( 'workos-account', 'workos' );
		if ( is_readable( $dir . 'index.css' ) ) {
			wp_enqueue_style( 'workos-account', $url . 'index.css', array(), $asset['version'] );
		}
	}

	/**
	 * show_user_profile / edit_user_profile: the panel.
	 *
	 * @param \WP_User $user The user shown.
	 */
	public static function render( $user ): void {
		if ( ! $user instanceof \WP_User || $user->ID !== self::$user_id ) {
			return;
		}
		$workos_id = EmailChange::linked_id( $user->ID );
		$last      = (int) get_user_meta( $user->ID, UserMeta::LAST_LOGIN, true );
		$orgs      = implode(
			', ',
			array_map(
				static function ( array $org ): string {
					/* translators: 1: organization name, 2: the person's role in it. */
					return '' !== $org['role'] ? sprintf( __( '%1$s (%2$s)', 'workos' ), $org['name'], $org['role'] ) : $org['name'];
				},
				self::organizations( $user->ID )
			)
		);
		$self      = get_current_user_id() === $user->ID;
		$can       = extension_ready() && EmailChange::enabled() && current_user_can( 'edit_user', $user->ID );
		$pending   = $can ? EmailChange::pending( $user->ID ) : null;
		$config    = array(
			'restUrl'       => rest_url( 'workos/v1/users/' . $user->ID . '/email-change' ),
			'nonce'         => wp_create_nonce( 'wp_rest' ),
			// Another user's address, changed by an administrator, is committed at once.
			'mode'          => ! $self && current_user_can( 'edit_users' ) ? 'admin' : 'self',
			'email'         => $user->user_email,
			'pendingMasked' => $pending ? EmailChange::mask( $pending['new_email'] ) : '',
		);
		?>
		<h2 id="workos-panel-heading"><?php esc_html_e( 'WorkOS', 'workos' ); ?></h2>
		<table class="form-table workos-panel" role="presentation">
			<tr class="workos-panel-user">
				<th scope="row"><?php esc_html_e( 'WorkOS user', 'workos' ); ?></th>
				<td><code><?php echo esc_html( $workos_id ); ?></code></td>
			</tr>
			<tr class="workos-panel-orgs">
				<th scope="row"><?php esc_html_e( 'Organization', 'workos' ); ?></th>
				<td><?php echo esc_html( $orgs ? $orgs : __( 'None', 'workos' ) ); ?></td>
			</tr>
			<tr class="workos-panel-last">
				<th scope="row"><?php esc_html_e( 'Last sign-in', 'workos' ); ?></th>
				<td><?php echo esc_html( $last ? (string) wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $last ) : __( 'Never on this site', 'workos' ) ); ?></td>
			</tr>
			<tr class="workos-panel-email">
				<th scope="row"><?php esc_html_e( 'Email address', 'workos' ); ?></th>
				<td>
					<span class="workos-panel-current-email"><?php echo esc_html( $user->user_email ); ?></span>
					<?php if ( $can ) : ?>
						<div id="workos-email-change" class="workos-email-change" data-config="<?php echo esc_attr( (string) wp_json_encode( $config ) ); ?>">
							<?php if ( $pending ) : ?>
								<p class="description">
									<?php
									/* translators: %s: the new address, mostly hidden. */
									echo esc_html( sprintf( __( 'A change to %s is waiting for the code sent to that address.', 'workos' ), $config['pendingMasked'] ) );
									?>
								</p>
							<?php endif; ?>
							<noscript><p class="description"><?php esc_html_e( 'Changing the email address needs JavaScript.', 'workos' ); ?></p></noscript>
						</div>
					<?php endif; ?>
				</td>
			</tr>
		</table>
		<?php
	}

	/**
	 * The user's organizations from the local mirror: name (or id) and role.
	 *
	 * @param int $user_id WordPress user id.
	 * @return array<int, array{name: string, role: string}>
	 */
	private static function organizations( int $user_id ): array {
		global $wpdb;
		$m    = Schema::table( 'org_memberships' );
		$o    = Schema::table( 'organizations' );
		$rows = (array) $wpdb->get_results( $wpdb->prepare( "SELECT m.organization_id, m.role_slug, o.name FROM {$m} m LEFT JOIN {$o} o ON o.workos_id = m.organization_id WHERE m.user_id = %d AND m.status = 'active' ORDER BY o.name", $user_id ), ARRAY_A ); // phpcs:ignore WordPress.DB
		return array_map(
			static function ( array $row ): array {
				return array(
					'name' => '' !== (string) $row['name'] ? (string) $row['name'] : (string) $row['organization_id'],
					'role' => (string) $row['role_slug'],
				);
			},
			$rows
		);
	}
}
